package faultsim.workload;

import java.util.Locale;

/**
 * How much heap one run of a workload needs before it simulates anything, so that a workload
 * too large for the JVM is refused with a message instead of running out of memory (or running
 * for hours) part-way. The figures are the live heap measured after a garbage collection of
 * short runs of the faults-under-mmap-writer example at 1,000 and 8,000 cores and tasks (28 and
 * 133 MiB): about 15 KiB per core and task beyond a fixed 20 MiB, split here generously between
 * the two. Pages touched add to this as a run goes on (about 110 bytes each); they are bounded
 * by the runtime, not known in advance, and not counted.
 */
public final class ModelSize {
  /** Heap per simulated core: its state, run queue and statistics. */
  static final long CORE_BYTES = 4 << 10;

  /** Heap per task: its interpreter stack, trace, histograms' share and kernel objects. */
  static final long TASK_BYTES = 16 << 10;

  /** Heap of a run whatever its size: the compiled designs, streams and event list. */
  static final long FIXED_BYTES = 20 << 20;

  private ModelSize() {}

  /** The heap one run of a machine with {@code cores} and {@code tasks} tasks needs. */
  public static long bytesPerRun(long cores, long tasks) {
    return FIXED_BYTES + cores * CORE_BYTES + tasks * TASK_BYTES;
  }

  /** How many runs of {@code w} fit in this JVM's heap at once, at least one. */
  public static int runsThatFit(Workload w) {
    long tasks = 0;
    for (var j : w.spec().jobs()) {
      tasks += j.numjobs();
    }
    for (var j : w.kernel().faultJobs()) {
      tasks += j.numjobs();
    }
    for (var j : w.kernel().opJobs()) {
      tasks += j.numjobs();
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory()
        / bytesPerRun(w.spec().machine().cores(), tasks)));
  }

  /** Says how much heap a run needs against how much this JVM may use. */
  static String tooLarge(long cores, long tasks) {
    return String.format(Locale.ROOT, "a run of %d cores and %d tasks needs about %s of heap,"
        + " more than the %s this JVM may use; make the model smaller, or give the JVM more"
        + " with FAULTSIM_JAVA_OPTS=-Xmx...", cores, tasks,
        Units.formatSize(bytesPerRun(cores, tasks)),
        Units.formatSize(Runtime.getRuntime().maxMemory()));
  }

  /** Whether a run of this size fits in this JVM's heap. */
  static boolean fits(long cores, long tasks) {
    return bytesPerRun(cores, tasks) <= Runtime.getRuntime().maxMemory();
  }
}
