package faultsim.locks;

import faultsim.machine.Task;

/**
 * RCU read-side critical sections: {@code rcu_read_lock} / {@code rcu_read_unlock} cost nothing
 * on a non-preemptible kernel, but nothing inside may sleep; a sleeping primitive called inside
 * one is recorded as an invalid-context violation by the machine.
 */
public final class Rcu {
  private Rcu() {}

  public static void readLock(Task t) {
    t.rcuReadLock();
  }

  public static void readUnlock(Task t) {
    t.rcuReadUnlock();
  }
}
