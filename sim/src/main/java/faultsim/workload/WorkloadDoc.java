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
    @Doc("Storage devices that synthetic steps and files name, by name.")
        Map<String, DeviceDoc> devices,
    @Doc("Kernel tunables and the correctness oracle's bounds.") KernelDoc kernel,
    @Doc("Files that fault and operation jobs use, by name.") Map<String, FileDoc> files,
    @Doc("Named mappings, by name: each is one VMA, mapped before the run, that every job"
        + " naming it with vma: shares (its lock, its vm_sequence).")
        Map<String, MappingDoc> mappings,
    @Doc("Defaults for every job, and run-wide settings.") GlobalDoc global,
    @Doc("Jobs by name; a job's keys override global's.") Map<String, JobDoc> jobs,
    @Doc("Designs to compare: built-in names (faultsim designs) or design file paths relative"
        + " to the workload file (default [linux_6_6]; synthetic-only workloads run under"
        + " 'synthetic'); an entry may also be {design: D, as: LABEL, set: {key.path: value}}"
        + " to compare one design under different machine.* or kernel.* settings.")
        @com.fasterxml.jackson.annotation.JsonFormat(
            with = com.fasterxml.jackson.annotation.JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<DesignDoc> designs,
    @Doc("Replications per design; each uses its own substream of every random stream. Given,"
        + " it wins over precision.") Integer replications,
    @Doc("Without replications: add replications until the 99 % confidence half-width of every"
        + " job's throughput is within this fraction of its mean (default 2%; at least 5"
        + " replications).") String precision,
    @Doc("The most replications precision may run (default 20).") Integer maxReplications) {

  /** The machine section. */
  public record MachineDoc(
      @Doc("Number of CPUs (default 4).") Integer cores,
      @Doc("Number of sockets; must divide cores (default 1).") Integer sockets,
      @Doc("Spinlock implementation: ticket or queued (default queued).") String spinlock,
      @Doc("Mutex and rwsem writers spin while the owner runs (CONFIG_MUTEX_SPIN_ON_OWNER;"
          + " default true).") Boolean spinOnOwner,
      @Doc("Cost profile overrides (defaults from docs/kernel-paths.md, costs).") CostsDoc costs,
      @Doc("A cost profile file (as faultsim calibrate writes), relative to the workload: its"
          + " machine.costs apply where the workload and --set give none.") String profile,
      @Doc("Base page size: 4k (x86-64, default), 16k or 64k (arm64, Power); file sizes,"
          + " offsets and job sizes must be whole pages, and fault_around_bytes and"
          + " read_ahead_kb count in these pages.") String pageSize) {}

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
      @Doc("sysctl_page_lock_unfairness (default 5).") Integer folioLockUnfairness,
      @Doc("Reading a cache line no CPU holds from DRAM: the first touch of a struct page, an"
          + " xarray node or a lock word (default 82ns).") String memoryFetch) {}

  /** Kernel tunables and oracle bounds. */
  public record KernelDoc(
      @Doc("Bytes mapped around a read fault: a power of two from 4k (off) to 2M (default 64k).")
          String faultAroundBytes,
      @Doc("The device's read_ahead_kb: a major fault reads this much around the faulting page,"
          + " half of it before (mmap read-around; a multiple of 4, 0 for none; default 128).")
          Long readAheadKb,
      @Doc("Retries of one fault or operation before the oracle reports no progress (default"
          + " 100).") Long maxRetries,
      @Doc("How long a truncate or hole punch may run before the oracle reports no progress"
          + " (default a quarter of global.runtime, from 1ms to 10ms).") String noProgressTime,
      @Doc("CPU costs of the kernel's primitives, by name (kernel.costs.<name>: a time such as"
          + " 150ns); each is listed below with its default and source.")
          Map<String, String> costs) {}

  /** A file. */
  public record FileDoc(
      @Doc("i_size at the start (required), e.g. 1G.") String size,
      @Doc("File system: ext4, xfs, tmpfs or dax (default ext4).") String fs,
      @Doc("Fraction of its pages cached at the start, 0 to 1 (default 1).") Double cached,
      @Doc("Device its blocks are read from (default disk: queue depth 32, reads exp(80us),"
          + " writes exp(20us)).") String device) {}

  /** A named mapping: one VMA shared by the jobs that name it. */
  public record MappingDoc(
      @Doc("The file it maps from offset 0, shared (a name under files:); without it the"
          + " mapping is anonymous.") String file,
      @Doc("Length, a multiple of 4k (required for anonymous memory; default: the whole"
          + " file).") String size,
      @Doc("Protection at the start: read or read_write (default read_write).") String prot,
      @Doc("Process whose mm it is in; jobs naming it must belong to it (default main).")
          String process) {}

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
      @Doc("Measured simulated time, e.g. 100ms; required unless every fault job has fixed"
          + " work (passes or pages), when the run ends as that work is done and runtime, if"
          + " given, is a limit.") String runtime,
      @Doc("Simulated warm-up before measuring (default 0ns; not with fixed work).")
          String rampTime,
      @Doc("Base random seed (default 1).") Long randseed,
      @Doc("Tasks per job (default 1; 0 leaves a job out).") Integer numjobs,
      @Doc("Sleep before each operation, a distribution (default none).") String thinktime,
      @Doc("Computation on the CPU before each operation, before thinktime (default none).")
          String thinktimeSpin,
      @Doc("Operations per task (faults, for a fault job); 0 = until the run ends (default 0).")
          Long loops,
      @Doc("When each task starts: a time or a distribution drawn once per task, e.g."
          + " uniform(0ns,5us), so that tasks do not run in lockstep (default 0ns; a distribution"
          + " only for fault and operation jobs).") String startDelay,
      @Doc("The operation: a list of steps.") List<Map<String, String>> steps,
      @Doc("Fault jobs' rw, for jobs that give neither rw nor op (default none).") String rw,
      @Doc("Fault jobs' mapping: shared, private or anon (default shared).") String mapping) {}

  /** A job. */
  public record JobDoc(
      @Doc("Tasks running this job; 0 leaves the job out (a sweep may vary it from 0).")
          Integer numjobs,
      @Doc("Sleep before each operation, a distribution.") String thinktime,
      @Doc("Computation on the CPU before each operation.") String thinktimeSpin,
      @Doc("Operations per task (faults, for a fault job); 0 = until the run ends.") Long loops,
      @Doc("When each task starts: a time or a distribution drawn once per task.")
          String startDelay,
      @Doc("A file operation: truncate (to size, then back), punch_hole (offset, size), mmap"
          + " or munmap (of size); on a vma: munmap (then mmap back), mprotect (write access"
          + " taken away, then given back, in turns; of part of it, a VMA split, then a merge),"
          + " madvise (MADV_DONTNEED) or mremap (cut short by size, then grown back, in"
          + " turns); for a"
          + " synthetic step list, the operation's name in results (default op).") String op,
      @Doc("Fault job: read, write, randread, randwrite, rw or randrw (rw mixes by"
          + " rwmixread).") String rw,
      @Doc("Percentage of reads for rw and randrw (default 50).") Integer rwmixread,
      @Doc("Fault job: shared, private or anon (default shared).") String mapping,
      @Doc("A named mapping (under mappings:) the job faults on or operates on, instead of a"
          + " VMA of its own; offset and size are then within the mapping (default: all of"
          + " it).") String vma,
      @Doc("Fault job on a vma: true gives each of the numjobs tasks its own equal part of the"
          + " region, as pft does (default false: every task touches all of it).") Boolean split,
      @Doc("The file a fault or operation job uses (a name under files:).") String file,
      @Doc("Region size for faults and mmap, the new size for truncate, the length for"
          + " punch_hole, the bytes mremap cuts off a mapping's end (required for it)"
          + " (default: the whole file).") String size,
      @Doc("Start of the region or hole in the file (default 0).") String offset,
      @Doc("Fault job: task i maps its region from offset + i * offset_increment, so that"
          + " each task has its own part of the file, as fio's offset_increment (default 0:"
          + " every task maps the same range).") String offsetIncrement,
      @Doc("Order of touched pages: sequential, stride:N, uniform or zipf:THETA (drawn with"
          + " replacement), or permutation (each page once per pass, shuffled afresh every pass)"
          + " (default sequential for read/write/rw, uniform for rand*).")
          String randomDistribution,
      @Doc("Fault job: fixed work of this many passes over the region per task (a pass is as"
          + " many touches as the region has pages), then the task ends (default: until the run"
          + " ends).") Long passes,
      @Doc("Fault job: fixed work of this many page touches per task, then the task ends; not"
          + " with passes.") Long pages,
      @Doc("Fault job: what ends a pass so that the next one faults again: dontneed"
          + " (madvise(MADV_DONTNEED), mmap_lock for read) or munmap (munmap and mmap again,"
          + " mmap_lock for write each, as will-it-scale's page_fault tests) (default"
          + " dontneed).") String betweenPasses,
      @Doc("Operations per second per task, evenly spaced (default: back to back).")
          String rate,
      @Doc("Process the job's tasks belong to; jobs of one process share an mm_struct (default"
          + " main).") String process,
      @Doc("The operation, a list of steps, each a one-key map: cpu: DIST, sleep: DIST,"
          + " read: DEVICE, write: DEVICE, or a lock primitive on a named lock: spin_lock,"
          + " spin_unlock, mutex_lock, mutex_unlock, down_read, up_read, down_write, up_write,"
          + " folio_lock, folio_unlock, write_seqcount_begin, write_seqcount_end.")
          List<Map<String, String>> steps) {}
}
