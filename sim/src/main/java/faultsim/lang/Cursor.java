package faultsim.lang;

import faultsim.machine.Task;

/**
 * An iteration a design walks with {@code for x in c { ... }}: the folios of a page-cache range,
 * the integers of {@code range(a, b)}. {@link #next} may charge the task for the step (for
 * example {@code task.busy(...)} for an xarray walk); the value it returns is used at once and the
 * loop body runs when the task is back on its core.
 */
@FunctionalInterface
public interface Cursor {
  /**
   * The next element (a {@link Long} for integer cursors, a host object otherwise), or null when
   * the iteration is over.
   */
  Object next(RunEnv env, Task task);

  /**
   * Whether a task ahead of the clock may advance it: its steps read only marked shared state
   * ({@code machine/Speculation}).
   */
  default boolean batchable() {
    return false;
  }
}
