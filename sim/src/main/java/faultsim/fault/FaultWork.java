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
 * <p>Task {@code i} of the job maps the file from {@code offset + i * offsetIncrement} (fio's
 * {@code offset_increment}), so that tasks can each have their own part of one file, as
 * will-it-scale's tasks each have their own file.
 *
 * @param passes passes per task, 0 when not fixed
 * @param pages touches per task, 0 when not fixed
 * @param between what ends a pass
 * @param offsetIncrement bytes between the regions of consecutive tasks, 0 for one region
 */
public record FaultWork(long passes, long pages, BetweenPasses between, long offsetIncrement) {
  /** Touches until the run ends, {@code MADV_DONTNEED} between passes, one region. */
  public static final FaultWork UNBOUNDED = new FaultWork(0, 0, BetweenPasses.DONTNEED, 0);

  public FaultWork {
    if (passes < 0 || pages < 0 || (passes > 0 && pages > 0) || offsetIncrement < 0) {
      throw new IllegalArgumentException("passes, pages and offset_increment are >= 0 and"
          + " passes and pages not both set, were " + passes + ", " + pages + " and "
          + offsetIncrement);
    }
  }

  /** Byte offset in the file of task {@code task}'s region, for a job region at {@code offset}. */
  public long taskOffset(long offset, int task) {
    return offset + task * offsetIncrement;
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
