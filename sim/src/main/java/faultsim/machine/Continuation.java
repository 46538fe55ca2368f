package faultsim.machine;

/**
 * What a primitive does when a task it put to sleep is back on a core: typically "try the lock
 * again". Runs before the task's program resumes.
 */
@FunctionalInterface
public interface Continuation {
  void resume(Task task);
}
