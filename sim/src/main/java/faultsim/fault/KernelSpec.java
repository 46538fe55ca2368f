package faultsim.fault;

import faultsim.engine.Dist;
import faultsim.kernel.FsType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kernel side of a workload: tunables, files, and the jobs that fault on mappings or run file
 * operations through a design.
 *
 * @param faultAroundBytes {@code fault_around_bytes} (debugfs; default 64 KiB)
 * @param readAheadPages {@code ra_pages} from {@code read_ahead_kb} (default 32: 128 KiB); the
 *     mmap read-around window of a major fault, 0 for none
 * @param maxRetries the oracle's bound on retries of one operation before it reports no progress
 * @param noProgressNs the oracle's bound on a truncate or punch's duration
 * @param costs what the kernel primitives cost on the CPU ({@code kernel.costs})
 * @param files the files, in workload order
 * @param mappings the named mappings jobs share, in workload order
 * @param faultJobs jobs faulting on a mapping
 * @param opJobs jobs running truncate, hole punch, mmap or munmap
 */
public record KernelSpec(
    long faultAroundBytes,
    long readAheadPages,
    long maxRetries,
    long noProgressNs,
    KernelCosts costs,
    List<FileSpec> files,
    List<MappingSpec> mappings,
    List<FaultJob> faultJobs,
    List<OpJob> opJobs) {

  /** Default {@code fault_around_bytes}: 64 KiB (kernel-paths.md C.13). */
  public static final long DEFAULT_FAULT_AROUND_BYTES = 65536;
  /** Default {@code read_ahead_kb}: {@code VM_READAHEAD_PAGES}, 128 KiB (kernel-paths.md C.12). */
  public static final long DEFAULT_READ_AHEAD_KB = 128;
  /** Default bound on the retries of one operation. */
  public static final long DEFAULT_MAX_RETRIES = 100;
  /** Longest default bound on a truncate or punch's duration: 10 ms. */
  public static final long DEFAULT_NO_PROGRESS_NS = 10_000_000;

  /** Shortest default bound on a truncate or punch's duration: 1 ms. */
  public static final long MIN_DEFAULT_NO_PROGRESS_NS = 1_000_000;

  /**
   * The default bound on a truncate or punch's duration in a run measuring {@code runtimeNs}: a
   * quarter of the runtime, at least {@link #MIN_DEFAULT_NO_PROGRESS_NS} and at most
   * {@link #DEFAULT_NO_PROGRESS_NS}. A fixed 10 ms outlasts the few milliseconds a race scenario
   * runs, so an operation that never finishes there would never be reported; the 1 ms floor
   * keeps a punch or truncate that is merely slow under contention (tens to a few hundred
   * microseconds in the example scenarios) from being reported in very short runs, such as the
   * 100 us runs a hunt may use.
   */
  public static long defaultNoProgressNs(long runtimeNs) {
    return Math.min(DEFAULT_NO_PROGRESS_NS, Math.max(MIN_DEFAULT_NO_PROGRESS_NS, runtimeNs / 4));
  }

  public KernelSpec {
    files = List.copyOf(files);
    mappings = List.copyOf(mappings);
    faultJobs = List.copyOf(faultJobs);
    opJobs = List.copyOf(opJobs);
  }

  /** True when there is nothing for a design to run. */
  public boolean empty() {
    return faultJobs.isEmpty() && opJobs.isEmpty();
  }

  /**
   * A file.
   *
   * @param name its name in the workload
   * @param fs file system flavour
   * @param sizeBytes initial {@code i_size}
   * @param cached fraction of its pages in the page cache at the start
   * @param device the device its blocks are read from (a name under {@code devices:})
   */
  public record FileSpec(String name, FsType fs, long sizeBytes, double cached, String device) {}

  /**
   * A named mapping: one VMA of {@code process}, mapped before the run starts, that every job
   * naming it ({@code vma:}) faults on or operates on.
   *
   * @param name its name in the workload
   * @param process the process whose mm it is in
   * @param file the file it maps from page 0 (MAP_SHARED), or null for anonymous memory
   * @param size its length in bytes
   * @param writable whether it starts with {@code VM_WRITE}
   */
  public record MappingSpec(String name, String process, String file, long size,
      boolean writable) {}

  /** fio's {@code rw}. */
  public enum Rw {
    READ, WRITE, RANDREAD, RANDWRITE, RW, RANDRW;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public boolean random() {
      return this == RANDREAD || this == RANDWRITE || this == RANDRW;
    }

    public static Rw parse(String s) {
      for (Rw r : values()) {
        if (r.key().equals(s)) {
          return r;
        }
      }
      throw new IllegalArgumentException("expected one of read, write, randread, randwrite, rw,"
          + " randrw; got '" + s + "'");
    }
  }

  /** What a fault job's region maps. */
  public enum MappingKind {
    SHARED, PRIVATE, ANON;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static MappingKind parse(String s) {
      for (MappingKind m : values()) {
        if (m.key().equals(s)) {
          return m;
        }
      }
      throw new IllegalArgumentException("expected shared, private or anon; got '" + s + "'");
    }
  }

  /** A file operation job's operation. */
  public enum OpKind {
    TRUNCATE, PUNCH_HOLE, MMAP, MUNMAP, MPROTECT, MADVISE, MREMAP;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static OpKind parseOrNull(String s) {
      for (OpKind o : values()) {
        if (o.key().equals(s)) {
          return o;
        }
      }
      return null;
    }
  }

  /**
   * Pacing shared by both job kinds: think time, a rate, a count, and when each task starts
   * ({@code startDelay}, drawn once per task from the task's stream; a constant draws nothing).
   */
  public record Pacing(Dist thinktimeSpin, Dist thinktime, long ratePeriodNs, long loops,
      Dist startDelay) {
    /** A task's pacer for this pacing, drawing from {@code stream}. */
    public faultsim.synthetic.Pacer pacer(umontreal.ssj.rng.RandomStream stream) {
      return new faultsim.synthetic.Pacer(thinktimeSpin, thinktime, ratePeriodNs, stream);
    }
  }

  /**
   * {@code numjobs} tasks each mapping [{@code offset}, {@code offset + size}) of {@code file}
   * (or anonymous memory) and touching its pages in {@code pattern} order; a touch whose PTE is
   * missing (or read-only, for a write) faults. After touching as many pages as the region has,
   * a task ends the pass as {@code work} says ({@code MADV_DONTNEED}, or munmap and mmap again)
   * so that the next pass faults again; with fixed work it stops after its passes or pages. With
   * {@code vma} (a named mapping), the region is [{@code offset}, {@code offset + size}) of that
   * mapping's one VMA, shared with the other jobs naming it; {@code split} gives each of the
   * {@code numjobs} tasks its own equal part of the region.
   */
  public record FaultJob(String name, int numjobs, String process, Rw rw, int rwmixread,
      MappingKind mapping, String file, long offset, long size, String pattern, Pacing pacing,
      String vma, boolean split, FaultWork work) {}

  /**
   * {@code numjobs} tasks running {@code op} on {@code file}: truncate to {@code size} (and back),
   * punch [{@code offset}, {@code offset + size}), or mmap/munmap a region of {@code size}. With
   * {@code vma} (a named mapping; {@code file} is then null) the operation is on
   * [{@code offset}, {@code offset + size}) of that mapping: munmap (then mmap it back),
   * mprotect (taking write access away, then giving it back) or madvise(MADV_DONTNEED).
   */
  public record OpJob(String name, int numjobs, String process, OpKind op, String file,
      long offset, long size, Pacing pacing, String vma) {}

  /** Random streams this spec draws from, in a fixed order: one per task. */
  public List<String> streamNames() {
    List<String> names = new ArrayList<>();
    for (FaultJob j : faultJobs) {
      for (int i = 0; i < j.numjobs(); i++) {
        names.add(taskStream(j.name(), i));
      }
    }
    for (OpJob j : opJobs) {
      for (int i = 0; i < j.numjobs(); i++) {
        names.add(taskStream(j.name(), i));
      }
    }
    return names;
  }

  public static String taskStream(String job, int index) {
    return "kjob/" + job + "/" + index;
  }
}
