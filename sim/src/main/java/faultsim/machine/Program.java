package faultsim.machine;

/**
 * What a task executes. The machine calls {@link #step} whenever the task is on a core and ready
 * to go on; each call performs exactly one operation on the task (a compute step, a lock
 * operation, a sleep, an I/O, ...) or calls {@link Task#exit()}. An operation that completes at
 * once leaves the task {@link Task.State#RUNNING} and the machine calls {@code step} again; one
 * that takes time or blocks suspends the task, and {@code step} is called again when it is done.
 * A task is therefore a state machine driven by events, never a Java thread.
 */
@FunctionalInterface
public interface Program {
  void step(Task task);
}
