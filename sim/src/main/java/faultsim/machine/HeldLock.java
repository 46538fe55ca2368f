package faultsim.machine;

/**
 * One entry of a task's held-lock stack, as lockdep's {@code held_locks}: which lock, in which
 * mode, since when.
 *
 * <p>Entries belong to their task's stack and are reused: an entry that {@link Task#popHeld}
 * returns is valid until the task next takes a lock, so read it at once and do not keep it.
 */
public final class HeldLock {
  private LockInstance lock;
  private boolean write;
  private long acquiredAtNs;
  /** Where the task took it, when the lock asked to keep that here ({@link Task#pushHeld}). */
  private String site;

  HeldLock() {}

  void set(LockInstance lock, boolean write, long acquiredAtNs, String site) {
    this.lock = lock;
    this.write = write;
    this.acquiredAtNs = acquiredAtNs;
    this.site = site;
  }

  /**
   * Where the task took the lock ({@code function+offset (file:line)}), for a lock that keeps
   * no state of its own while uncontended (a folio's {@code PG_locked}); else null.
   */
  public String site() {
    return site;
  }

  /** The lock instance. */
  public LockInstance lock() {
    return lock;
  }

  /** True for exclusive (write) mode, false for shared (read) mode. */
  public boolean write() {
    return write;
  }

  /** Simulated time the task started holding it. */
  public long acquiredAtNs() {
    return acquiredAtNs;
  }

  @Override
  public String toString() {
    return lock.className() + (write ? "-W" : "-R") + "@" + acquiredAtNs;
  }
}
