package faultsim.lang;

import faultsim.machine.Task;

/**
 * Observes what design programs do, for timelines of interleavings (the correctness oracle's
 * "Process A / Process B" tables). Set per run with {@link RunEnv#setTrace}; when none is set the
 * interpreter does no work for it.
 *
 * <p>Locations are {@code file:line:column}, the file being the design's name for built-in
 * designs and the path otherwise.
 */
public interface DesignTrace {
  /**
   * A design function is entered.
   *
   * @param location where the function is defined
   */
  void enter(Task t, String function, String location);

  /** A design function returns {@code ret} (a Long, a Boolean, a host object, or null for void). */
  void exit(Task t, String function, Object ret);

  /**
   * A primitive is about to be called with {@code args} (the array is the caller's to keep).
   *
   * @param location where the call is written
   */
  void primitive(Task t, String name, Object[] args, String location);

  /**
   * Primitive {@code p} is about to be called with {@code args} (the array is the caller's to
   * keep); by default, {@link #primitive(Task, String, Object[], String)} with its name.
   *
   * @param location where the call is written
   */
  default void primitive(Task t, Primitive p, Object[] args, String location) {
    primitive(t, p.name(), args, location);
  }

  /**
   * A primitive is about to be called, with the arguments as the interpreter holds them (no
   * boxing): the view is valid during this call only, so copy what is kept. By default, the
   * arguments boxed into a new array for {@link #primitive(Task, Primitive, Object[], String)}.
   *
   * @param location where the call is written
   */
  default void primitive(Task t, Primitive p, Args args, String location) {
    primitive(t, p, args.toArray(), location);
  }

  /**
   * Whether calls of primitive {@code name} are of interest; when false the interpreter neither
   * copies their arguments nor calls {@link #primitive}. Asked once per primitive and run (the
   * answer is kept), so it must not change during a run.
   */
  default boolean records(String name) {
    return true;
  }

  /**
   * Whether {@link #exit} is to be given the value returned; when false it is given null and the
   * interpreter does not box the value.
   */
  default boolean recordsReturnValues() {
    return true;
  }
}
