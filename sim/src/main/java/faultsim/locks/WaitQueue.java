package faultsim.locks;

import faultsim.machine.CacheLine;
import faultsim.machine.Machine;
import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code wait_queue_head_t}: {@code wait_event(wq, condition)} sleeps until the condition holds,
 * re-checking it after every wake-up; {@code wake_up_all} wakes every sleeper. The head's
 * spinlock is one cache line.
 */
public final class WaitQueue {
  private final Machine machine;
  private final String name;
  private final CacheLine line;
  private final List<Task> sleepers = new ArrayList<>();

  public WaitQueue(Machine machine, String name) {
    this(machine, name, new CacheLine());
  }

  /** A wait queue whose head lives on {@code line}, shared with other fields of its structure. */
  public WaitQueue(Machine machine, String name, CacheLine line) {
    this.machine = machine;
    this.name = name;
    this.line = line;
  }

  public String name() {
    return name;
  }

  /** The cache line of the queue's head. */
  public CacheLine line() {
    return line;
  }

  public int sleepers() {
    return sleepers.size();
  }

  /** {@code wait_event}: returns at once if {@code condition} holds, else sleeps and re-checks. */
  public void waitEvent(Task t, BooleanSupplier condition) {
    t.mightSleep("wait_event(" + name + ")");
    if (condition.getAsBoolean()) {
      return;
    }
    // prepare_to_wait() takes the head's spinlock: the line moves to this core, and the waker
    // pays for bringing it back.
    line.atomic(machine, t.core());
    sleepers.add(t);
    t.sleep("wait_event(" + name + ")", task -> waitEvent(task, condition));
  }

  /** {@code wake_up_all}: every sleeper wakes and re-checks its condition. */
  public void wakeUpAll(Task t) {
    long cost = line.atomic(machine, t.core());
    List<Task> woken = new ArrayList<>(sleepers);
    sleepers.clear();
    for (Task s : woken) {
      s.wake();
    }
    t.busy(cost);
  }
}
