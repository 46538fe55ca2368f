package faultsim.machine;

/**
 * One entry of a task's held-lock stack, as lockdep's {@code held_locks}: which lock, in which
 * mode, since when.
 *
 * @param lock the lock instance
 * @param write true for exclusive (write) mode, false for shared (read) mode
 * @param acquiredAtNs simulated time the task started holding it
 */
public record HeldLock(LockInstance lock, boolean write, long acquiredAtNs) {}
