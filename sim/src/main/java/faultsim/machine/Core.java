package faultsim.machine;

/**
 * One CPU. Accounts busy, spinning and idle time from the moments its state changes, and, as
 * Linux's {@code /proc/stat} iowait, the part of its idle time during which a task that last ran
 * on it waits for I/O.
 */
public final class Core {
  /** What a core is doing. */
  public enum Activity { IDLE, BUSY, SPINNING }

  private final int id;
  private final int socket;
  private Task current;
  private Activity activity = Activity.IDLE;
  private long sinceNs;
  private long busyNs;
  private long spinNs;
  private long idleNs;
  private long ioWaitNs;
  private int nrIoWait;

  Core(int id, int socket) {
    this.id = id;
    this.socket = socket;
  }

  public int id() {
    return id;
  }

  public int socket() {
    return socket;
  }

  public Task current() {
    return current;
  }

  void setCurrent(Task task) {
    current = task;
  }

  public Activity activity() {
    return activity;
  }

  /**
   * The core's activity from {@code nowNs} on. Time is charged to an activity when it ends (or
   * when {@link #account} is asked), so a change to the same activity charges nothing yet.
   */
  void setActivity(Activity next, long nowNs) {
    if (next == activity) {
      return;
    }
    account(nowNs);
    activity = next;
  }

  void account(long nowNs) {
    long d = nowNs - sinceNs;
    switch (activity) {
      case IDLE -> {
        idleNs += d;
        if (nrIoWait > 0) {
          ioWaitNs += d;
        }
      }
      case BUSY -> busyNs += d;
      case SPINNING -> spinNs += d;
    }
    sinceNs = nowNs;
  }

  void resetCounters(long nowNs) {
    account(nowNs);
    busyNs = 0;
    spinNs = 0;
    idleNs = 0;
    ioWaitNs = 0;
  }

  /** A task that last ran here starts ({@code +1}) or stops ({@code -1}) waiting for I/O. */
  void ioWaitChange(int delta, long nowNs) {
    account(nowNs);
    nrIoWait += delta;
  }

  public long busyNs() {
    return busyNs;
  }

  public long spinNs() {
    return spinNs;
  }

  /** Idle time, including {@link #ioWaitNs}. */
  public long idleNs() {
    return idleNs;
  }

  /** Idle time while a task that last ran on this core waited for I/O (Linux's iowait). */
  public long ioWaitNs() {
    return ioWaitNs;
  }

  @Override
  public String toString() {
    return "cpu" + id;
  }
}
