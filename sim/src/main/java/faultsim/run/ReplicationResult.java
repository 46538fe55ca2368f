package faultsim.run;

import faultsim.oracle.Violation;
import java.util.Map;
import faultsim.stats.LockStatRow;
import java.util.List;

/**
 * Everything measured in one replication of one design, detached from the simulation objects.
 *
 * @param design the design's name
 * @param replication 0-based index; it is also the substream index of every random stream
 * @param jobs per-job results in workload order
 * @param locks lock statistics, one row per class side
 * @param cpu where the cores' and tasks' time went
 * @param events simulated events fired
 * @param violationCounts violations found by the oracle, by kind (every kind present)
 * @param violations the first few of each kind, with their interleavings
 * @param vmstat vmstat counters counted while measuring ({@code PGFAULT}, {@code PGMAJFAULT},
 *     ...), in first-counted order
 * @param lockOrder the lock order the run took, {@code "A -> B"} to the simulated time first
 *     seen, sorted (empty for synthetic jobs)
 * @param stacks every task's measured time by call stack, folded ({@code job;function;...}), in
 *     nanoseconds, in string order ({@link faultsim.machine.TimeProfile})
 * @param tasks each task's operations and time, in the order the tasks were made
 * @param trace the run as a Chrome trace when one was asked for ({@link Trace#NONE} otherwise)
 */
public record ReplicationResult(String design, int replication, List<JobResult> jobs,
    List<LockStatRow> locks, CpuTime cpu, long events, Map<String, Long> violationCounts,
    List<Violation> violations, Map<String, Long> vmstat, Map<String, Long> lockOrder,
    Map<String, Long> stacks, List<TaskTime> tasks, Trace trace) {

  /** Without a trace. */
  public ReplicationResult(String design, int replication, List<JobResult> jobs,
      List<LockStatRow> locks, CpuTime cpu, long events, Map<String, Long> violationCounts,
      List<Violation> violations, Map<String, Long> vmstat, Map<String, Long> lockOrder,
      Map<String, Long> stacks, List<TaskTime> tasks) {
    this(design, replication, jobs, locks, cpu, events, violationCounts, violations, vmstat,
        lockOrder, stacks, tasks, Trace.NONE);
  }

  /**
   * A run as Chrome trace JSON ({@link faultsim.machine.TraceRecorder}).
   *
   * @param json the trace, empty for none
   * @param truncatedAtNs when it stopped growing at its size limit, or -1
   */
  public record Trace(String json, long truncatedAtNs) {
    public static final Trace NONE = new Trace("", -1);
  }

  /** Without a lock order, stacks or tasks. */
  public ReplicationResult(String design, int replication, List<JobResult> jobs,
      List<LockStatRow> locks, CpuTime cpu, long events, Map<String, Long> violationCounts,
      List<Violation> violations, Map<String, Long> vmstat) {
    this(design, replication, jobs, locks, cpu, events, violationCounts, violations, vmstat,
        Map.of(), Map.of(), List.of(), Trace.NONE);
  }

  /**
   * One task over the measured runtime: the operations it completed and its time on its core
   * ({@code busy}: working, {@code spin}: spinning on a lock) and off it ({@code sleep}: on a
   * lock, a wait queue or a timer; {@code io}; {@code runnable}: waking up or waiting for a
   * core).
   */
  public record TaskTime(String task, String job, long operations, long busyNs, long spinNs,
      long sleepNs, long ioNs, long runnableNs) {}

  /**
   * Core and task time over the measured runtime, summed over cores (busy, spinning, idle, and
   * the part of idle that was I/O wait, as Linux's iowait) and over tasks (sleeping on locks or
   * timers, waiting for I/O, runnable but waiting for a core).
   */
  public record CpuTime(long busyNs, long spinNs, long idleNs, long sleepNs, long ioNs,
      long runnableNs, long ioWaitNs) {
    /** Without I/O wait accounting. */
    public CpuTime(long busyNs, long spinNs, long idleNs, long sleepNs, long ioNs,
        long runnableNs) {
      this(busyNs, spinNs, idleNs, sleepNs, ioNs, runnableNs, 0);
    }

    public long coreNs() {
      return busyNs + spinNs + idleNs;
    }
  }
}
