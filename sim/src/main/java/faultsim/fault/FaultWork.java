package faultsim.fault;

import java.util.Locale;

/**
 * How much a fault job's task touches and what it does between passes over its region.
 *
 * <p>A pass touches as many pages as the region has (each page once for a sequential, strided
 * or permuted order). {@code passes} and {@code pages} give the task a fixed amount of work:
 * after that many passes, or that many touches, it stops; without either it touches until the
 * run ends. Between passes the task discards its pages so that the next pass faults again:
 * {@code madvise(MADV_DONTNEED)} under {@code mmap_lock} for read, or, as will-it-scale's
 * page_fault1..3 do, {@code munmap} and {@code mmap} again, each under {@code mmap_lock} for
 * write.
 *
 * @param passes passes per task, 0 when not fixed
 * @param pages touches per task, 0 when not fixed
 * @param between what ends a pass
 */
public record FaultWork(long passes, long pages, BetweenPasses between) {
  /** Touches until the run ends, {@code MADV_DONTNEED} between passes. */
  public static final FaultWork UNBOUNDED = new FaultWork(0, 0, BetweenPasses.DONTNEED);

  public FaultWork {
    if (passes < 0 || pages < 0 || (passes > 0 && pages > 0)) {
      throw new IllegalArgumentException("passes and pages are >= 0 and not both set, were "
          + passes + " and " + pages);
    }
  }

  /** Whether the task stops after a fixed number of touches. */
  public boolean fixed() {
    return passes > 0 || pages > 0;
  }

  /** Touches a task makes over a region of {@code regionPages} pages; 0 when not fixed. */
  public long touches(long regionPages) {
    return pages > 0 ? pages : Math.multiplyExact(passes, regionPages);
  }

  /** What a task does between two passes over its region. */
  public enum BetweenPasses {
    /** {@code madvise(MADV_DONTNEED)} over the region: the design's do_madvise_dontneed. */
    DONTNEED,
    /** {@code munmap} the region and {@code mmap} it again: vm_munmap, then vm_mmap. */
    MUNMAP;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static BetweenPasses parse(String s) {
      for (BetweenPasses b : values()) {
        if (b.key().equals(s)) {
          return b;
        }
      }
      throw new IllegalArgumentException("expected dontneed or munmap, got '" + s + "'");
    }
  }
}
