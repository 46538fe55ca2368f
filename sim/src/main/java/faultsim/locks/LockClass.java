package faultsim.locks;

/**
 * A lockdep lock class: all instances that share a name, e.g. every file's
 * {@code &mapping->invalidate_lock}. Statistics are kept per class, as {@code /proc/lock_stat}
 * shows them, split into write ({@code -W}) and read ({@code -R}) sides for reader-writer locks.
 */
public final class LockClass {
  private final String name;
  private final LockKind kind;
  private final LockStats write = new LockStats();
  private final LockStats read = new LockStats();
  private final java.util.Map<String, Long> events;
  /** What a task waiting here waits on ({@code spin_lock(&mm->mmap_lock)}), by operation. */
  private final java.util.Map<String, String> waitLabels = new java.util.HashMap<>();

  /** A class counting lock events into {@code events}, shared by all classes of a run. */
  LockClass(String name, LockKind kind, java.util.Map<String, Long> events) {
    this.name = name;
    this.kind = kind;
    this.events = events;
  }

  /**
   * Counts a lock event as the kernel's CONFIG_LOCK_EVENT_COUNTS does
   * ({@code lockevent_inc()}, kernel/locking/lock_events_list.h): one counter per event for all
   * locks together, read from {@code /sys/kernel/debug/lock_event_counts/}.
   */
  void event(String name) {
    events.merge(name, 1L, Long::sum);
  }

  public String name() {
    return name;
  }

  /**
   * {@code op(name)}, what a task spinning or sleeping in {@code op} on a lock of this class
   * waits on: made once per operation, as tasks wait often.
   */
  String waitLabel(String op) {
    String s = waitLabels.get(op);
    if (s == null) {
      s = op + "(" + name + ")";
      waitLabels.put(op, s);
    }
    return s;
  }

  public LockKind kind() {
    return kind;
  }

  /** Exclusive-side statistics (the only side of a non reader-writer lock). */
  public LockStats write() {
    return write;
  }

  /** Shared-side statistics; empty for locks without a read side. */
  public LockStats read() {
    return read;
  }

  public LockStats stats(boolean writeSide) {
    return writeSide ? write : read;
  }

  void reset() {
    write.reset();
    read.reset();
  }
}
