package faultsim.lang;

import faultsim.machine.Task;

/**
 * Delays a task at its interaction points: consulted by the interpreter before each primitive a
 * design calls (lock operations, page-cache, PTE and {@code i_size} accesses, RCU sections: where
 * tasks meet), it may make the calling task compute for a while, as {@code cpu(ns)} would, before
 * the primitive runs. A point is named by the task's name, the ordinal of the primitive call
 * among that task's calls (1 for its first, counted over every design call the task makes) and
 * the primitive's name, so a list of delays replays the same run. Set per run with
 * {@link RunEnv#setPerturbation}, before the run's tasks start; when none is set the interpreter
 * does one null check per primitive call.
 */
public interface Perturbation {
  /**
   * The delay before {@code t}'s primitive call number {@code ordinal} (of primitive
   * {@code primitive}), in nanoseconds; 0 for none. Asked once per call, in simulation order.
   */
  long delayNs(Task t, long ordinal, String primitive);

  /**
   * Whether the interpreter should ask {@link #delayNs(Task, long, String, Object[])} instead,
   * with the call's arguments (what the call touches: a folio, a mapping and an index, a lock).
   */
  default boolean observesArguments() {
    return false;
  }

  /**
   * As {@link #delayNs(Task, long, String)}, with the primitive itself (its declared lock
   * effects) and the call's arguments as the primitive gets them ({@code Long} for integers,
   * {@code Boolean}, or the object); asked only when {@link #observesArguments()} says so. The
   * array is the perturbation's to keep.
   */
  default long delayNs(Task t, long ordinal, Primitive primitive, Object[] args) {
    return delayNs(t, ordinal, primitive.name());
  }
}
