package faultsim.workload;

import faultsim.fault.KernelCosts;
import faultsim.fault.KernelSpec;
import faultsim.fault.KernelSpec.FaultJob;
import faultsim.fault.KernelSpec.FileSpec;
import faultsim.fault.KernelSpec.MappingKind;
import faultsim.fault.KernelSpec.OpJob;
import faultsim.fault.KernelSpec.OpKind;
import faultsim.fault.KernelSpec.Rw;
import faultsim.kernel.AccessPattern;
import faultsim.kernel.FsType;
import faultsim.kernel.Kernel;
import faultsim.workload.WorkloadDoc.FileDoc;
import faultsim.workload.WorkloadDoc.KernelDoc;
import faultsim.workload.WorkloadDoc.GlobalDoc;
import faultsim.workload.WorkloadDoc.JobDoc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the kernel side of a workload: {@code files:}, {@code kernel:}, fault jobs, operation
 * jobs and the designs they run, with errors at the offending key.
 */
final class KernelJobs {
  private final Resolver r;
  /** machine.page_size: byte quantities become pages by it. */
  PageSize page = PageSize.DEFAULT;
  final VmaJobs vmaJobs;

  KernelJobs(Resolver r) {
    this.r = r;
    this.vmaJobs = new VmaJobs(r, this);
  }

  Map<String, FileSpec> files(Map<String, FileDoc> docs, java.util.Set<String> devices)
      throws InputException {
    Map<String, FileSpec> out = new LinkedHashMap<>();
    if (docs == null) {
      return out;
    }
    for (Map.Entry<String, FileDoc> e : docs.entrySet()) {
      String ptr = "/files/" + e.getKey();
      FileDoc f = e.getValue();
      if (f == null || f.size() == null) {
        throw r.error(ptr, "files." + e.getKey() + ".size is required, e.g. size: 1G");
      }
      long size = r.convert(ptr + "/size", f.size(), Units::parseSize);
      if (size <= 0 || !page.whole(size)) {
        throw r.error(ptr + "/size", "files." + e.getKey() + ".size must be a positive multiple"
            + " of " + page + " (machine.page_size), got " + f.size());
      }
      size = page.model(size);
      FsType fs = f.fs() == null ? FsType.EXT4 : r.convert(ptr + "/fs", f.fs(), v -> {
        try {
          return FsType.parse(v);
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException(ex.getMessage() + Suggest.didYouMean(v,
              List.of("ext4", "xfs", "tmpfs", "dax")));
        }
      });
      double cached = f.cached() == null ? 1.0 : f.cached();
      if (!(cached >= 0 && cached <= 1)) {
        throw r.error(ptr + "/cached", "files." + e.getKey() + ".cached must be between 0 and 1,"
            + " got " + f.cached());
      }
      String device = f.device() == null ? WorkloadLoader.DEFAULT_DEVICE : f.device();
      if (f.device() != null && !devices.contains(device)) {
        throw r.error(ptr + "/device", "files." + e.getKey() + ".device: no device named '"
            + device + "'" + Suggest.didYouMean(device, devices) + " (define it under devices:)");
      }
      out.put(e.getKey(), new FileSpec(e.getKey(), fs, size, cached, device));
    }
    return out;
  }

  /**
   * The kernel side of the workload; {@code runtimeNs} (the measured runtime) sets the default
   * {@code no_progress_time} ({@link KernelSpec#defaultNoProgressNs}).
   */
  KernelSpec kernel(KernelDoc k, Map<String, FileSpec> files,
      Map<String, KernelSpec.MappingSpec> mappings, List<FaultJob> faultJobs,
      List<OpJob> opJobs, long runtimeNs) throws InputException {
    KernelDoc d = k == null ? new KernelDoc(null, null, null, null, null) : k;
    long fab = KernelSpec.DEFAULT_FAULT_AROUND_BYTES;
    if (d.faultAroundBytes() != null) {
      fab = r.convert("/kernel/fault_around_bytes", d.faultAroundBytes(), Units::parseSize);
      if (fab < Kernel.PAGE_SIZE || fab > page.maxFaultAround() || Long.bitCount(fab) != 1) {
        throw r.error("/kernel/fault_around_bytes", "kernel.fault_around_bytes must be a power"
            + " of two from 4k to " + Units.formatSize(page.maxFaultAround()) + ", got "
            + d.faultAroundBytes());
      }
    }
    fab = page.faultAround(fab);
    long maxRetries = d.maxRetries() == null ? KernelSpec.DEFAULT_MAX_RETRIES : d.maxRetries();
    if (maxRetries < 1) {
      throw r.error("/kernel/max_retries", "kernel.max_retries must be >= 1, got " + maxRetries);
    }
    long noProgress = d.noProgressTime() == null ? KernelSpec.defaultNoProgressNs(runtimeNs)
        : r.convert("/kernel/no_progress_time", d.noProgressTime(), Units::parseTime);
    if (noProgress <= 0) {
      throw r.error("/kernel/no_progress_time", "kernel.no_progress_time must be > 0");
    }
    long raKb = d.readAheadKb() == null ? KernelSpec.DEFAULT_READ_AHEAD_KB : d.readAheadKb();
    if (raKb < 0 || raKb % 4 != 0) {
      throw r.error("/kernel/read_ahead_kb", "kernel.read_ahead_kb must be a multiple of 4 and"
          + " >= 0, got " + raKb);
    }
    return new KernelSpec(fab, page.readAheadPages(raKb), maxRetries, noProgress,
        kernelCosts(d.costs()), List.copyOf(files.values()), List.copyOf(mappings.values()),
        faultJobs, opJobs);
  }

  /** {@code kernel.costs}: each named cost replaces its default. */
  KernelCosts kernelCosts(Map<String, String> given) throws InputException {
    KernelCosts costs = KernelCosts.DEFAULT;
    if (given == null) {
      return costs;
    }
    for (Map.Entry<String, String> e : given.entrySet()) {
      String ptr = "/kernel/costs/" + e.getKey();
      KernelCosts.Cost c = KernelCosts.cost(e.getKey());
      if (c == null) {
        throw r.error(ptr, "kernel.costs: unknown cost '" + e.getKey() + "'; expected one of "
            + String.join(", ", KernelCosts.keys())
            + Suggest.didYouMean(e.getKey(), KernelCosts.keys()));
      }
      if (e.getValue() == null) {
        throw r.error(ptr, "kernel.costs." + e.getKey() + ": expected a time such as 150ns");
      }
      long ns = r.convert(ptr, e.getValue(), Units::parseTime);
      if (ns < 0) {
        throw r.error(ptr, "kernel.costs." + e.getKey() + " must be >= 0, got " + e.getValue());
      }
      costs = costs.with(c, ns);
    }
    return costs;
  }

  /** The value of a job key, falling back to global's; with the pointer it came from. */
  FileSpec fileOf(String name, JobDoc j, Map<String, FileSpec> files) throws InputException {
    String ptr = "/jobs/" + name;
    if (j.file() == null) {
      throw r.error(ptr, "jobs." + name + ".file is required: the name of a file under files:"
          + (files.isEmpty() ? " (there are none yet)" : " (" + String.join(", ",
          files.keySet()) + ")"));
    }
    FileSpec f = files.get(j.file());
    if (f == null) {
      throw r.error(ptr + "/file", "jobs." + name + ".file: no file named '" + j.file() + "'"
          + Suggest.didYouMean(j.file(), files.keySet()) + " (define it under files:)");
    }
    return f;
  }

  long bytes(String ptr, String value, long dflt) throws InputException {
    if (value == null) {
      return dflt;
    }
    long b = r.convert(ptr, value, Units::parseSize);
    if (b < 0 || !page.whole(b)) {
      throw r.error(ptr, Resolver.key(ptr) + " must be a non-negative multiple of " + page
          + " (machine.page_size), got " + value);
    }
    return page.model(b);
  }

  FaultJob faultJob(String name, JobDoc j, GlobalDoc g, Map<String, FileSpec> files)
      throws InputException {
    String ptr = "/jobs/" + name;
    // rw and mapping default to global's (global holds job defaults).
    String rwPtr = j.rw() != null ? ptr + "/rw" : "/global/rw";
    String mapPtr = j.mapping() != null ? ptr + "/mapping" : "/global/mapping";
    String mappingValue = j.mapping() != null ? j.mapping() : g.mapping();
    Rw rw = r.convert(rwPtr, j.rw() != null ? j.rw() : g.rw(), v -> {
      try {
        return Rw.parse(v);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(ex.getMessage() + Suggest.didYouMean(v,
            List.of("read", "write", "randread", "randwrite", "rw", "randrw")));
      }
    });
    int mix = j.rwmixread() == null ? 50 : j.rwmixread();
    if (mix < 0 || mix > 100) {
      throw r.error(ptr + "/rwmixread", "jobs." + name + ".rwmixread must be 0..100, got " + mix);
    }
    if (j.vma() != null) {
      return vmaJobs.faultJob(name, j, g, rw, mix);
    }
    vmaJobs.checkNoVma(name, j);
    MappingKind mapping = mappingValue == null ? MappingKind.SHARED
        : r.convert(mapPtr, mappingValue, MappingKind::parse);
    String file = null;
    long fileSize;
    if (mapping == MappingKind.ANON) {
      if (j.file() != null) {
        throw r.error(ptr + "/file", "jobs." + name + ": an anon mapping has no file");
      }
      if (j.size() == null) {
        throw r.error(ptr, "jobs." + name + ".size is required for an anon mapping");
      }
      fileSize = Long.MAX_VALUE;
    } else {
      FileSpec f = fileOf(name, j, files);
      file = f.name();
      fileSize = f.sizeBytes();
    }
    long offset = bytes(ptr + "/offset", j.offset(), 0);
    long size = bytes(ptr + "/size", j.size(), fileSize - offset);
    if (size <= 0) {
      throw r.error(ptr + "/size", "jobs." + name + ": the region is empty");
    }
    if (mapping != MappingKind.ANON && offset + size > fileSize) {
      throw r.error(j.size() != null ? ptr + "/size" : ptr + "/offset", "jobs." + name
          + ": the region [" + page.real(offset) + ", " + page.real(offset + size) + ") goes"
          + " past the end of file '" + file + "' (" + page.real(fileSize) + " bytes)");
    }
    String pattern = pattern(ptr, j, rw, size / Kernel.PAGE_SIZE);
    int numjobs = r.numjobs(name, j, g);
    return new FaultJob(name, numjobs, process(j), rw, mix, mapping, file, offset, size, pattern,
        r.pacing(name, j, g), null, false,
        FixedWorkRules.work(r, this, name, j, g, numjobs, offset, size, fileSize));
  }

  /** The job's access pattern over a task's {@code pages}, checked. */
  String pattern(String ptr, JobDoc j, Rw rw, long pages) throws InputException {
    String pattern = j.randomDistribution() != null ? j.randomDistribution()
        : rw.random() ? "uniform" : "sequential";
    r.convert(ptr + "/random_distribution", pattern, v -> AccessPattern.parse(v, pages));
    return pattern;
  }

  OpJob opJob(String name, JobDoc j, GlobalDoc g, Map<String, FileSpec> files)
      throws InputException {
    String ptr = "/jobs/" + name;
    OpKind op = OpKind.parseOrNull(j.op());
    if (op == null) {
      throw r.error(ptr + "/op", "jobs." + name + ".op: unknown operation '" + j.op() + "'"
          + Suggest.didYouMean(j.op(), List.of("truncate", "punch_hole", "mmap", "munmap",
          "mprotect", "madvise", "mremap"))
          + " Expected truncate, punch_hole, mmap or munmap, or on a vma munmap, mprotect,"
          + " madvise or mremap (or give steps for a synthetic job)");
    }
    if (j.rw() != null) {
      throw r.error(ptr + "/rw", "jobs." + name + ": a job has either op or rw, not both");
    }
    FixedWorkRules.faultKeysAbsent(r, name, j, "an operation job");
    if (j.vma() != null) {
      return vmaJobs.opJob(name, j, g, op);
    }
    vmaJobs.checkNoVma(name, j);
    if (op == OpKind.MPROTECT || op == OpKind.MADVISE || op == OpKind.MREMAP) {
      throw r.error(ptr + "/op", "jobs." + name + ".op: " + op.key() + " works on a named"
          + " mapping's VMA; give vma: (a name under mappings:)");
    }
    FileSpec f = fileOf(name, j, files);
    long offset = bytes(ptr + "/offset", j.offset(), 0);
    long size = bytes(ptr + "/size", j.size(), op == OpKind.TRUNCATE ? 0
        : f.sizeBytes() - offset);
    String where = j.size() != null ? ptr + "/size" : ptr;
    switch (op) {
      case TRUNCATE -> {
        if (size >= f.sizeBytes()) {
          throw r.error(where, "jobs." + name + ": truncate to " + page.real(size) + " bytes"
              + " does not shrink file '" + f.name() + "' (" + page.real(f.sizeBytes())
              + " bytes)");
        }
      }
      case PUNCH_HOLE, MMAP, MUNMAP -> {
        if (size <= 0) {
          throw r.error(where, "jobs." + name + ": " + op.key() + " of an empty range");
        }
        if (offset + size > f.sizeBytes()) {
          throw r.error(where, "jobs." + name + ": " + op.key() + " of [" + page.real(offset)
              + ", " + page.real(offset + size) + ") goes past the end of file '" + f.name()
              + "' (" + page.real(f.sizeBytes()) + " bytes)");
        }
      }
      default -> throw new IllegalStateException(op.toString());
    }
    return new OpJob(name, r.numjobs(name, j, g), process(j), op, f.name(), offset, size,
        r.pacing(name, j, g), null);
  }

  static String process(JobDoc j) {
    return j.process() == null ? "main" : j.process();
  }

  /**
   * A design entry names a built-in design or an existing file (relative to the workload's
   * directory); its text is checked when it is compiled, with errors in the design file.
   */
  void checkDesignExists(String ptr, String entry, String workloadFile) throws InputException {
    if (faultsim.lang.DesignLibrary.isPath(entry)) {
      Path p = Workload.baseDir(workloadFile).resolve(entry);
      if (!Files.exists(p)) {
        throw r.error(ptr, "design file '" + entry + "' not found (looked for " + p + ")");
      }
      var why = TextFiles.whyNotAFile(p);
      if (why.isPresent()) {
        throw r.error(ptr, "design file '" + entry + "': " + p + " " + why.get()
            + "; expected a design file");
      }
      return;
    }
    List<String> names = new ArrayList<>();
    for (faultsim.lang.BuiltinDesign b : faultsim.lang.DesignLibrary.builtins()) {
      names.add(b.name());
    }
    if (!names.contains(entry)) {
      String suggestion = Suggest.didYouMean(entry, names);
      throw r.error(ptr, "unknown design '" + entry + "'" + (suggestion.isEmpty() ? "." : suggestion)
          + " Built-in designs: " + String.join(", ", names)
          + "; a design file's path ends in .design");
    }
  }

}
