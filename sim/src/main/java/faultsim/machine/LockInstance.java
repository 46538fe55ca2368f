package faultsim.machine;

/** Anything a task can hold: the machine tracks held instances for context checks and stats. */
public interface LockInstance {
  /** The lockdep class name, e.g. {@code &mm->mmap_lock}. */
  String className();

  /** Whether waiting for this lock may sleep (mutex, rwsem, folio lock) or only spins. */
  boolean sleeps();

  /** The holder went off CPU (slept or was preempted): a lock with spinners stops their spin. */
  default void ownerOffCpu(Task owner) {}
}
