package faultsim.machine;

/**
 * An object only the task that made it reads or changes (a fault's {@code struct vm_fault}):
 * a task ahead of the clock may read it without catching up ({@link Speculation}).
 */
public interface TaskLocal {}
