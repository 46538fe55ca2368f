package faultsim.machine;

/** How the machine's spinlocks hand over (kernel-paths.md §B, "Spinlocks"). */
public enum SpinlockKind {
  /**
   * Ticket spinlock (x86 2008-2015): every waiter spins on the lock word, so a release
   * invalidates the line in every waiting CPU and their re-reads are served one after another:
   * a handoff costs one transfer per waiter.
   */
  TICKET,
  /** qspinlock / MCS: each waiter spins on its own node; a handoff costs about one transfer. */
  QUEUED
}
