package faultsim.fault;

import faultsim.engine.RandomStreams;
import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import faultsim.machine.Machine;
import faultsim.synthetic.OpRecorder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named mappings of a run: each one VMA, mapped before the run starts, and the tasks of
 * the jobs that name it. Every fault task of a mapping faults on that VMA (its lock, its
 * {@code vm_lock_seq}, a design's {@code vm_sequence}), as the threads of one process do on one
 * large {@code mmap()}; operation tasks unmap, mprotect or discard it under them.
 */
final class SharedMappings {
  private SharedMappings() {}

  /** Maps every named mapping in its process; the VMAs by mapping name. */
  static Map<String, Vma> map(KernelSpec ks, Kernel kernel, Map<String, MmStruct> processes) {
    Map<String, Vma> out = new LinkedHashMap<>();
    for (KernelSpec.MappingSpec m : ks.mappings()) {
      MmStruct mm = processes.computeIfAbsent(m.process(), kernel::createMm);
      Vma v = mm.mmap(m.file() == null ? null : kernel.file(m.file()), 0, m.size(),
          m.file() != null);
      v.setWritable(m.writable());
      out.put(m.name(), v);
    }
    return out;
  }

  /**
   * The tasks of fault job {@code j} on mapping VMA {@code v}: each on the job's region, or
   * with {@code split} on its own equal part of it.
   */
  static void spawnFaults(KernelSpec.FaultJob j, Vma v, DesignRunner design, KernelContext ctx,
      RandomStreams streams, OpRecorder rec, Machine machine, FaultJobProgress progress,
      FaultJobProgress.Job pj) {
    long pages = j.size() / Kernel.PAGE_SIZE;
    long part = j.split() ? pages / j.numjobs() : pages;
    for (int i = 0; i < j.numjobs(); i++) {
      long start = v.start() + j.offset() + (j.split() ? i * part * Kernel.PAGE_SIZE : 0);
      var stream = streams.stream(KernelSpec.taskStream(j.name(), i));
      long delay = j.pacing().startDelay().sample(stream);
      FaultProgram p = new FaultProgram(j, v.mm(), start, part, design, ctx, stream, rec,
          progress, pj);
      machine.spawn(KernelRun.taskName(j.name(), j.numjobs(), i), p, delay);
    }
  }

  /** The tasks of operation job {@code j} on mapping VMA {@code v}. */
  static void spawnOps(KernelSpec.OpJob j, Vma v, KernelSpec ks, DesignRunner design,
      KernelContext ctx, RandomStreams streams, OpRecorder rec, Machine machine) {
    KernelSpec.MappingSpec spec = ks.mappings().stream()
        .filter(m -> m.name().equals(j.vma())).findFirst().orElseThrow();
    for (int i = 0; i < j.numjobs(); i++) {
      var stream = streams.stream(KernelSpec.taskStream(j.name(), i));
      long delay = j.pacing().startDelay().sample(stream);
      VmaOpProgram p = new VmaOpProgram(j, v.mm(), v.file(), v.start(), spec.size(),
          spec.writable(), design, ctx, stream, rec);
      machine.spawn(KernelRun.taskName(j.name(), j.numjobs(), i), p, delay);
    }
  }
}
