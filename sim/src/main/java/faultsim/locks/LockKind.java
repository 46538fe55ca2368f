package faultsim.locks;

import java.util.Locale;

/** The lock families the machine implements (kernel-paths.md §B). */
public enum LockKind {
  /** {@code spinlock_t}; ticket or queued according to the machine. */
  SPINLOCK(false, false),
  /** {@code struct mutex}. */
  MUTEX(true, false),
  /** {@code struct rw_semaphore}. */
  RWSEM(true, true),
  /** The folio lock, {@code PG_locked}. */
  FOLIO(true, false),
  /** {@code seqcount_t}: readers are the read side, write sections the write side. */
  SEQCOUNT(false, true),
  /** {@code rwlock_t}, the queued rwlock: a spinning reader/writer lock. */
  RWLOCK(false, true),
  /** {@code seqlock_t}: a seqcount whose writers serialise on a spinlock. */
  SEQLOCK(false, true),
  /** {@code struct range_lock_tree}: readers and writers over ranges, sleeping. */
  RANGELOCK(true, true);

  private final boolean sleeps;
  private final boolean hasReadSide;

  LockKind(boolean sleeps, boolean hasReadSide) {
    this.sleeps = sleeps;
    this.hasReadSide = hasReadSide;
  }

  public boolean sleeps() {
    return sleeps;
  }

  public boolean hasReadSide() {
    return hasReadSide;
  }

  /** The workload-file spelling: {@code spinlock}, {@code mutex}, {@code rwsem}, ... */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a workload-file spelling of the families synthetic jobs have steps for; the message
   * lists the valid ones.
   */
  public static LockKind parse(String s) {
    for (LockKind k : values()) {
      if (k.key().equals(s) && k != RWLOCK && k != SEQLOCK && k != RANGELOCK) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown lock kind '" + s + "'; expected one of spinlock, mutex, rwsem, folio, seqcount");
  }
}
