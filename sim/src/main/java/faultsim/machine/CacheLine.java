package faultsim.machine;

/**
 * One cache line of shared data: a lock word, an rwsem count, a refcount, a counter. The line
 * remembers which core wrote it last; an atomic on it from another core pays a transfer. This is
 * what makes a read-mostly rwsem stop scaling: every {@code down_read} is a write to the count.
 */
public final class CacheLine {
  private int lastWriterCore = -1;
  private boolean lastAccessBounced;

  /**
   * An atomic read-modify-write from {@code core}: returns its cost and makes {@code core} the
   * line's last writer. A line nobody has written yet is fetched from memory at the cost of a
   * same-socket transfer.
   */
  public long atomic(Machine machine, Core core) {
    int from = lastWriterCore;
    lastWriterCore = core.id();
    lastAccessBounced = from != core.id();
    if (!lastAccessBounced) {
      return machine.costs().atomicLocalNs();
    }
    return from < 0
        ? machine.costs().transferSameSocketNs()
        : machine.transferNs(from, core.id());
  }

  /**
   * A plain load from {@code core}: the local cost if this core wrote the line last (or nobody
   * has), a transfer from the last writer otherwise. Does not change the line.
   */
  public long loadNs(Machine machine, Core core) {
    int last = lastWriterCore;
    return last < 0 || last == core.id() ? machine.costs().atomicLocalNs()
        : machine.transferNs(last, core.id());
  }

  /** Marks {@code core} as the last writer without charging anything (a plain store already paid). */
  public void written(Core core) {
    lastWriterCore = core.id();
  }

  /** The core that wrote the line last, or -1. */
  public int lastWriterCore() {
    return lastWriterCore;
  }

  /** Whether the last {@link #atomic} came from a core other than the previous writer. */
  public boolean lastAccessBounced() {
    return lastAccessBounced;
  }
}
