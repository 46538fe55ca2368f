package faultsim.fault;

import faultsim.machine.Task;

/**
 * How the drivers call into a design: start a call of one of its entry functions for a task,
 * then step it as the task runs until it returns. A call is a small state machine, never a
 * thread.
 */
public interface DesignRunner {
  /** Starts {@code function(args)} for task {@code t}. */
  Call start(Task t, String function, Object... args);

  /**
   * Starts {@code function(a0, a1, a2)} for a function of a host object and two ints (a fault's
   * {@code mm, address, flags}); a runner may pass the ints without boxing them.
   */
  default Call start(Task t, String function, Object a0, long a1, long a2) {
    return start(t, function, new Object[] {a0, a1, a2});
  }

  /** A call in progress. */
  interface Call {
    /** Runs the call until the task suspends or the function returns. */
    void step(Task t);

    boolean finished();

    /** What the function returned: a Long, a Boolean, a host object, or null. */
    Object returnValue();
  }
}
