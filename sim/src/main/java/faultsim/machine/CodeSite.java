package faultsim.machine;

/**
 * Where a task's program is, for statistics kept per call site (lock_stat's contention points):
 * a task's {@link Task#attachment} implements it when its program can say.
 */
public interface CodeSite {
  /**
   * The innermost place the program is at, as {@code function+offset (file:line)}: the line's
   * offset from the line the function is defined on, as the kernel's {@code func+0x12} gives
   * an offset into the function.
   */
  String site();

  /** The task's site: its program's, or {@code job steps} for a program that cannot say. */
  static String of(Task t) {
    if (t.attachment() instanceof CodeSite c) {
      return c.site();
    }
    return t.jobSteps();
  }
}
