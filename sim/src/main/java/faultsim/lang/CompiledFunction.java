package faultsim.lang;

import faultsim.machine.Task;

/**
 * A design function compiled to JVM bytecode by {@link BytecodeCompiler}: a hidden class per
 * function, unloaded with its design. Its {@link #exec} runs the function's instructions on the
 * same frame, local and operand-stack arrays as {@link DesignCall}'s interpreter, each instruction
 * as its own bytecode, so that the two can hand a function over at any point where the task may
 * be suspended.
 */
abstract class CompiledFunction {
  /**
   * Runs the function from instruction {@code pc} (its start, or a point where the task was
   * suspended) until the task is suspended again or an instruction is reached that the
   * interpreter runs (a call or a return).
   *
   * @param c the task's interpreter, whose {@code fn}, {@code bp} and {@code budget} are set to
   *     this function, its frame and the loop iterations left
   * @param lv the integer slots, {@code c}'s
   * @param rv the reference slots, {@code c}'s
   * @param bp the frame's first slot
   * @return -1 when the task is suspended (pc and sp stored in {@code c}), else the pc of the
   *     instruction for the interpreter to run next, with {@code c}'s sp and budget stored
   */
  abstract int exec(DesignCall c, Task t, DesignTrace trace, long[] lv, Object[] rv, int bp,
      int pc);

  /** The error of entering compiled code where no suspension point is. */
  static IllegalStateException badEntry(FunctionCode f, int pc) {
    return new IllegalStateException("compiled " + f.name + " entered at " + pc
        + ", which is not a point where a task can be suspended");
  }
}
