package faultsim.workload;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A workload file as written: every key optional here; defaults and checks are applied when the
 * file is resolved ({@link WorkloadLoader}). Component names are the YAML keys in snake_case.
 */
public record WorkloadDoc(
    @Doc("Name of the workload and of its results directory (default: the file name without"
        + " .yaml).") String name,
    @Doc("The simulated machine.") MachineDoc machine,
    @Doc("Lock instances that synthetic steps name, by name: {kind, class}.")
        Map<String, LockDoc> locks,
    @Doc("Storage devices that synthetic steps name, by name.") Map<String, DeviceDoc> devices,
    @Doc("Defaults for every job, and run-wide settings.") GlobalDoc global,
    @Doc("Jobs by name; a job's keys override global's.") Map<String, JobDoc> jobs,
    @Doc("Designs to compare (built-in names or design file paths); synthetic-only workloads"
        + " may omit it.") List<String> designs,
    @Doc("Replications per design (default 3); each uses its own substream of every random"
        + " stream.") Integer replications) {

  /** The machine section. */
  public record MachineDoc(
      @Doc("Number of CPUs (default 4).") Integer cores,
      @Doc("Number of sockets; must divide cores (default 1).") Integer sockets,
      @Doc("Spinlock implementation: ticket or queued (default queued).") String spinlock,
      @Doc("Mutex and rwsem writers spin while the owner runs (CONFIG_MUTEX_SPIN_ON_OWNER;"
          + " default true).") Boolean spinOnOwner,
      @Doc("Cost profile overrides (defaults from kernel-paths.md section C).") CostsDoc costs) {}

  /** Cost profile overrides. */
  public record CostsDoc(
      @Doc("Atomic on a line this CPU owns (default 5ns).") String atomicLocal,
      @Doc("Cache-line transfer within a socket (default 47ns).") String transferSameSocket,
      @Doc("Cache-line transfer across sockets (default 122ns).") String transferCrossSocket,
      @Doc("Wake-up to running (default 2us).") String wakeup,
      @Doc("Context switch between runnable tasks (default 1100ns).") String contextSwitch,
      @Doc("Scheduler time slice (default 3ms).") String timeSlice,
      @Doc("RWSEM_WAIT_TIMEOUT before a waiting writer sets handoff (default 4ms).")
          String rwsemWaitTimeout,
      @Doc("sysctl_page_lock_unfairness (default 5).") Integer folioLockUnfairness) {}

  /** A lock instance used by synthetic steps. */
  public record LockDoc(
      @Doc("spinlock, mutex, rwsem, folio or seqcount.") String kind,
      @Doc("lockdep class name it is reported under, e.g. &mm->mmap_lock (default: the lock's"
          + " name).") @JsonProperty("class") String lockClass) {}

  /** A storage device. */
  public record DeviceDoc(
      @Doc("Requests in service at once (default 32).") Integer queueDepth,
      @Doc("Read latency distribution (default exp(80us)).") String readLatency,
      @Doc("Write latency distribution (default exp(20us)).") String writeLatency) {}

  /** Run-wide settings and job defaults. */
  public record GlobalDoc(
      @Doc("Measured simulated time (required, e.g. 100ms).") String runtime,
      @Doc("Simulated warm-up before measuring (default 0ns).") String rampTime,
      @Doc("Base random seed (default 1).") Long randseed,
      @Doc("Tasks per job (default 1).") Integer numjobs,
      @Doc("Sleep before each operation, a distribution (default none).") String thinktime,
      @Doc("Computation on the CPU before each operation, before thinktime (default none).")
          String thinktimeSpin,
      @Doc("Operations per task; 0 = until the run ends (default 0).") Long loops,
      @Doc("When the job's tasks start (default 0ns).") String startDelay,
      @Doc("The operation: a list of steps.") List<Map<String, String>> steps) {}

  /** A job. */
  public record JobDoc(
      @Doc("Tasks running this job.") Integer numjobs,
      @Doc("Sleep before each operation, a distribution.") String thinktime,
      @Doc("Computation on the CPU before each operation.") String thinktimeSpin,
      @Doc("Operations per task; 0 = until the run ends.") Long loops,
      @Doc("When the job's tasks start.") String startDelay,
      @Doc("Name of the operation in results (default op).") String op,
      @Doc("The operation, a list of steps, each a one-key map: cpu: DIST, sleep: DIST,"
          + " read: DEVICE, write: DEVICE, or a lock primitive on a named lock: spin_lock,"
          + " spin_unlock, mutex_lock, mutex_unlock, down_read, up_read, down_write, up_write,"
          + " folio_lock, folio_unlock, write_seqcount_begin, write_seqcount_end.")
          List<Map<String, String>> steps) {}
}
