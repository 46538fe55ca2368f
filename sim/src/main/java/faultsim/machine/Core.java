package faultsim.machine;

/** One CPU. Accounts busy, spinning and idle time from the moments its state changes. */
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

  void setActivity(Activity next, long nowNs) {
    account(nowNs);
    activity = next;
  }

  void account(long nowNs) {
    long d = nowNs - sinceNs;
    switch (activity) {
      case IDLE -> idleNs += d;
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
  }

  public long busyNs() {
    return busyNs;
  }

  public long spinNs() {
    return spinNs;
  }

  public long idleNs() {
    return idleNs;
  }

  @Override
  public String toString() {
    return "cpu" + id;
  }
}
