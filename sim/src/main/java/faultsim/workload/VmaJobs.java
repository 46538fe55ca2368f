package faultsim.workload;

import faultsim.fault.KernelSpec;
import faultsim.fault.KernelSpec.FaultJob;
import faultsim.fault.KernelSpec.FileSpec;
import faultsim.fault.KernelSpec.MappingSpec;
import faultsim.fault.KernelSpec.OpJob;
import faultsim.fault.KernelSpec.OpKind;
import faultsim.fault.KernelSpec.Rw;
import faultsim.kernel.Kernel;
import faultsim.workload.WorkloadDoc.GlobalDoc;
import faultsim.workload.WorkloadDoc.JobDoc;
import faultsim.workload.WorkloadDoc.MappingDoc;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves {@code mappings:} and the jobs that name one with {@code vma:}: fault jobs sharing
 * the mapping's one VMA, and munmap, mprotect, madvise and mremap jobs on it, with errors at the
 * key.
 */
final class VmaJobs {
  private final Resolver r;
  private final KernelJobs k;
  private Map<String, MappingSpec> mappings = Map.of();
  /** The job that munmaps each mapping: one task at most may. */
  private final Map<String, String> unmapper = new HashMap<>();
  /** A job that mprotects part of each mapping (splitting its VMA), if any. */
  private final Map<String, String> splitter = new HashMap<>();
  /** The job that mremaps each mapping: one task at most may. */
  private final Map<String, String> remapper = new HashMap<>();

  VmaJobs(Resolver r, KernelJobs k) {
    this.r = r;
    this.k = k;
  }

  Map<String, MappingSpec> mappings(Map<String, MappingDoc> docs, Map<String, FileSpec> files)
      throws InputException {
    Map<String, MappingSpec> out = new LinkedHashMap<>();
    if (docs != null) {
      for (Map.Entry<String, MappingDoc> e : docs.entrySet()) {
        out.put(e.getKey(), mapping(e.getKey(), e.getValue(), files));
      }
    }
    mappings = out;
    return out;
  }

  private MappingSpec mapping(String name, MappingDoc m, Map<String, FileSpec> files)
      throws InputException {
    String ptr = "/mappings/" + name;
    MappingDoc d = m == null ? new MappingDoc(null, null, null, null) : m;
    long size;
    if (d.file() != null) {
      FileSpec f = files.get(d.file());
      if (f == null) {
        throw r.error(ptr + "/file", "mappings." + name + ".file: no file named '" + d.file()
            + "'" + Suggest.didYouMean(d.file(), files.keySet()) + " (define it under files:)");
      }
      size = k.bytes(ptr + "/size", d.size(), f.sizeBytes());
      if (size > f.sizeBytes()) {
        throw r.error(ptr + "/size", "mappings." + name + ".size: " + size + " bytes goes past"
            + " the end of file '" + f.name() + "' (" + f.sizeBytes() + " bytes)");
      }
    } else {
      if (d.size() == null) {
        throw r.error(ptr, "mappings." + name + ".size is required for an anonymous mapping"
            + " (or give file: to map a file)");
      }
      size = k.bytes(ptr + "/size", d.size(), 0);
    }
    if (size <= 0) {
      throw r.error(ptr + "/size", "mappings." + name + ": the mapping is empty");
    }
    boolean writable = d.prot() == null || r.convert(ptr + "/prot", d.prot(), v -> {
      if (v.equals("read")) {
        return false;
      }
      if (v.equals("read_write")) {
        return true;
      }
      throw new IllegalArgumentException("expected read or read_write, got '" + v + "'"
          + Suggest.didYouMean(v, List.of("read", "read_write")));
    });
    String process = d.process() == null ? "main" : d.process();
    return new MappingSpec(name, process, d.file(), size, writable);
  }

  /** A job without {@code vma:} may not use the keys that only make sense with one. */
  void checkNoVma(String name, JobDoc j) throws InputException {
    if (j.split() != null) {
      throw r.error("/jobs/" + name + "/split", "jobs." + name + ".split divides a named"
          + " mapping among the job's tasks; it needs vma: (a name under mappings:)");
    }
  }

  private MappingSpec named(String name, JobDoc j) throws InputException {
    String ptr = "/jobs/" + name;
    MappingSpec m = mappings.get(j.vma());
    if (m == null) {
      throw r.error(ptr + "/vma", "jobs." + name + ".vma: no mapping named '" + j.vma() + "'"
          + Suggest.didYouMean(j.vma(), mappings.keySet()) + " (define it under mappings:)");
    }
    for (String key : new String[] {"file", "mapping"}) {
      if ((key.equals("file") ? j.file() : j.mapping()) != null) {
        throw r.error(ptr + "/" + key, "jobs." + name + "." + key + ": a job on vma '"
            + j.vma() + "' maps nothing of its own; the mapping says what it maps");
      }
    }
    if (j.process() != null && !j.process().equals(m.process())) {
      throw r.error(ptr + "/process", "jobs." + name + ".process: '" + j.process()
          + "', but mapping '" + m.name() + "' is in process '" + m.process() + "'");
    }
    return m;
  }

  /** [offset, offset + size) of the mapping, checked to lie within it. */
  private long[] region(String name, JobDoc j, MappingSpec m) throws InputException {
    String ptr = "/jobs/" + name;
    long offset = k.bytes(ptr + "/offset", j.offset(), 0);
    long size = k.bytes(ptr + "/size", j.size(), Math.max(0, m.size() - offset));
    if (size <= 0 || offset + size > m.size()) {
      throw r.error(j.size() != null ? ptr + "/size" : ptr + "/offset", "jobs." + name
          + ": the region [" + offset + ", " + (offset + size) + ") is " + (size <= 0 ? "empty"
          : "outside mapping '" + m.name() + "' (" + m.size() + " bytes)"));
    }
    return new long[] {offset, size};
  }

  /**
   * The tail an mremap job cuts off and maps back in turns: its {@code size} (required, whole
   * pages, smaller than the mapping) from the mapping's end; no {@code offset}.
   */
  private long[] mremapTail(String name, JobDoc j, MappingSpec m) throws InputException {
    String ptr = "/jobs/" + name;
    if (j.offset() != null) {
      throw r.error(ptr + "/offset", "jobs." + name + ".offset: mremap shrinks mapping '"
          + m.name() + "' from its end; give only size (the bytes to cut off)");
    }
    if (j.size() == null) {
      throw r.error(ptr, "jobs." + name + ".size is required for mremap: the bytes to cut off"
          + " the end of mapping '" + m.name() + "' (then grow back)");
    }
    // Whole pages (machine.page_size), checked as every size is.
    long size = k.bytes(ptr + "/size", j.size(), 0);
    if (size == 0) {
      throw r.error(ptr + "/size", "jobs." + name + ".size: mremap by 0 bytes changes nothing;"
          + " give the bytes to cut off mapping '" + m.name() + "'");
    }
    if (size >= m.size()) {
      throw r.error(ptr + "/size", "jobs." + name + ".size: mremap to a smaller length must"
          + " leave part of mapping '" + m.name() + "' (" + m.size() + " bytes), but size is "
          + size + " bytes");
    }
    return new long[] {m.size() - size, size};
  }

  FaultJob faultJob(String name, JobDoc j, GlobalDoc g, Rw rw, int mix) throws InputException {
    String ptr = "/jobs/" + name;
    MappingSpec m = named(name, j);
    long[] region = region(name, j, m);
    int numjobs = r.numjobs(name, j, g);
    boolean split = j.split() != null && j.split();
    long pages = region[1] / Kernel.PAGE_SIZE;
    if (split && pages % numjobs != 0) {
      throw r.error(ptr + "/split", "jobs." + name + ".split: numjobs (" + numjobs + ") does"
          + " not divide the region's " + pages + " pages into equal parts");
    }
    String pattern = k.pattern(ptr, j, rw, split ? pages / numjobs : pages);
    for (String key : new String[] {"between_passes", "offset_increment"}) {
      if ((key.equals("between_passes") ? j.betweenPasses() : j.offsetIncrement()) != null) {
        throw r.error(ptr + "/" + key, "jobs." + name + "." + key + ": a job on vma '"
            + j.vma() + "' shares that VMA: between passes it discards its own range"
            + " (MADV_DONTNEED), and split, not offset_increment, gives tasks their parts");
      }
    }
    return new FaultJob(name, numjobs, m.process(), rw, mix,
        m.file() == null ? KernelSpec.MappingKind.ANON : KernelSpec.MappingKind.SHARED,
        m.file(), region[0], region[1], pattern, r.pacing(name, j, g), m.name(), split,
        FixedWorkRules.work(r, k, name, j, g, numjobs, region[0], region[1], Long.MAX_VALUE));
  }

  OpJob opJob(String name, JobDoc j, GlobalDoc g, OpKind op) throws InputException {
    String ptr = "/jobs/" + name;
    if (op != OpKind.MUNMAP && op != OpKind.MPROTECT && op != OpKind.MADVISE
        && op != OpKind.MREMAP) {
      throw r.error(ptr + "/op", "jobs." + name + ".op: " + op.key() + " works on a file;"
          + " on a vma the operations are munmap, mprotect, madvise and mremap");
    }
    MappingSpec m = named(name, j);
    long[] region = op == OpKind.MREMAP ? mremapTail(name, j, m) : region(name, j, m);
    String where = j.size() != null ? ptr + "/size" : ptr + "/offset";
    if (op == OpKind.MUNMAP && region[1] != m.size()) {
      throw r.error(where, "jobs." + name + ": munmap of part of mapping '" + m.name()
          + "' is not modelled; give the whole mapping (leave out offset and size)");
    }
    int numjobs = r.numjobs(name, j, g);
    if (op == OpKind.MUNMAP || op == OpKind.MREMAP) {
      Map<String, String> owner = op == OpKind.MUNMAP ? unmapper : remapper;
      String other = owner.putIfAbsent(m.name(), name);
      if (numjobs > 1 || other != null) {
        throw r.error(numjobs > 1 ? ptr + "/numjobs" : ptr + "/vma", "jobs." + name + ": one"
            + " task at most may " + op.key() + " mapping '" + m.name() + "' ("
            + (op == OpKind.MUNMAP ? "it maps it back at the same address"
            : "it shrinks it and grows it back in turns") + ")"
            + (other != null ? "; job " + other + " already does" : ""));
      }
    }
    if (op == OpKind.MPROTECT && region[1] != m.size()) {
      splitter.putIfAbsent(m.name(), name);
    }
    if (unmapper.containsKey(m.name()) && splitter.containsKey(m.name())) {
      throw r.error(ptr + "/op", "jobs." + name + ": mapping '" + m.name() + "' is both"
          + " munmapped (job " + unmapper.get(m.name()) + ") and split by an mprotect of part"
          + " of it (job " + splitter.get(m.name()) + "); munmap of a split mapping is not"
          + " modelled");
    }
    if (remapper.containsKey(m.name())
        && (splitter.containsKey(m.name()) || unmapper.containsKey(m.name()))) {
      String other = splitter.containsKey(m.name())
          ? "split by an mprotect of part of it (job " + splitter.get(m.name()) + ")"
          : "munmapped (job " + unmapper.get(m.name()) + ")";
      throw r.error(ptr + "/op", "jobs." + name + ": mapping '" + m.name() + "' is both"
          + " mremapped (job " + remapper.get(m.name()) + ") and " + other + "; mremap"
          + " works on a mapping that stays one VMA at its address");
    }
    return new OpJob(name, numjobs, m.process(), op, m.file(), region[0], region[1],
        r.pacing(name, j, g), m.name());
  }
}
