package faultsim.fault;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import faultsim.machine.Task;
import faultsim.synthetic.OpRecorder;
import umontreal.ssj.rng.RandomStream;

/**
 * An operation job's task on a named mapping's VMA, which fault tasks share. Each operation is
 * one timed call into the design:
 *
 * <ul>
 *   <li>{@code munmap}: {@code vm_munmap(mm, vma)} of the VMA now at the mapping's address
 *       (timed), then, untimed and at once, {@code vm_mmap_fixed} of the same range, so that
 *       the faults find a VMA there again (a new one: no {@code anon_vma}, a new lock);
 *   <li>{@code mprotect}: {@code do_mprotect(mm, start, len, flags)}, write access taken away,
 *       then given back on the next operation;
 *   <li>{@code madvise}: {@code do_madvise(mm, start, len)}, {@code MADV_DONTNEED} of the range;
 *   <li>{@code mremap}: {@code do_mremap(mm, addr, old_len, new_len)} in place, the mapping cut
 *       short by the job's size (its tail [start, start + len) unmapped), then grown back to
 *       its whole length on the next operation.
 * </ul>
 *
 * munmaps, mprotects and the shrinking mremaps are announced to the oracle, which checks what
 * is left in their range when they return.
 */
final class VmaOpProgram extends PacedOps {
  /** {@code VM_READ}, {@code VM_WRITE}, {@code VM_SHARED} (include/linux/mm.h). */
  static final long VM_READ = 0x1;
  static final long VM_WRITE = 0x2;
  static final long VM_SHARED = 0x8;

  private final KernelSpec.OpJob job;
  private final MmStruct mm;
  private final AddressSpace file;
  private final long mappingStart;
  private final long mappingSize;
  private final long start;
  private final long len;
  private final long flags;
  private final DesignRunner design;
  private final KernelContext ctx;
  private final OpRecorder recorder;

  private boolean remapping;
  private long startNs;
  private Object mprotectToken;

  /**
   * @param mappingStart where the mapping is in {@code mm}
   * @param writable whether the mapping starts with {@code VM_WRITE}
   */
  VmaOpProgram(KernelSpec.OpJob job, MmStruct mm, AddressSpace file, long mappingStart,
      long mappingSize, boolean writable, DesignRunner design, KernelContext ctx,
      RandomStream stream, OpRecorder recorder) {
    super(job.pacing(), stream);
    this.job = job;
    this.mm = mm;
    this.file = file;
    this.mappingStart = mappingStart;
    this.mappingSize = mappingSize;
    this.start = mappingStart + job.offset();
    this.len = job.size();
    this.flags = VM_READ | (writable ? VM_WRITE : 0) | (file != null ? VM_SHARED : 0);
    this.design = design;
    this.ctx = ctx;
    this.recorder = recorder;
  }

  @Override
  void begin(Task t) {
    startNs = t.machine().engine().now();
    ctx.takeRetries(t);
    switch (job.op()) {
      case MUNMAP -> {
        Vma v = mm.findVma(mappingStart);
        if (v == null) {
          throw new IllegalStateException("no VMA at " + Long.toHexString(mappingStart)
              + " of " + mm.name() + " for " + job.name() + " to unmap");
        }
        call = design.start(t, "vm_munmap", mm, v);
      }
      case MPROTECT -> {
        // Even operations flip VM_WRITE away from the mapping's own protection, odd ones put
        // it back.
        long newFlags = done % 2 == 0 ? flags ^ VM_WRITE : flags;
        mprotectToken = ctx.oracle().mprotectStarts(t, mm, start, start + len);
        call = design.start(t, "do_mprotect", mm, start, len, newFlags);
      }
      case MADVISE -> call = design.start(t, "do_madvise", mm, start, len);
      case MREMAP -> {
        // Even operations cut the tail [start, start + len) off, odd ones grow it back.
        long whole = mappingSize;
        long shrunk = start - mappingStart;
        long oldLen = done % 2 == 0 ? whole : shrunk;
        long newLen = done % 2 == 0 ? shrunk : whole;
        ctx.oracle().mremapStarts(t, mappingStart, oldLen, newLen);
        call = design.start(t, "do_mremap", mm, mappingStart, oldLen, newLen);
      }
      default -> throw new IllegalStateException(job.op().toString());
    }
  }

  @Override
  void finished(Task t, Object ret) {
    if (remapping) {
      remapping = false;
      return;
    }
    long now = t.machine().engine().now();
    if (mprotectToken != null) {
      ctx.oracle().mprotectEnds(mprotectToken);
      mprotectToken = null;
    }
    long retries = ctx.takeRetries(t);
    recorder.record(startNs, now, retries);
    ctx.oracle().retries(t, job.op().key() + " of " + job.vma(), retries);
    if (job.op() == KernelSpec.OpKind.MREMAP && done % 2 == 0) {
      ctx.oracle().munmapEnds(t, mm, start, start + len, "mremap shrink");
    }
    done++;
    if (job.op() == KernelSpec.OpKind.MUNMAP) {
      ctx.oracle().munmapEnds(t, mm, mappingStart, mappingStart + mappingSize, "munmap");
      remapping = true;
      call = design.start(t, "vm_mmap_fixed", mm, mappingStart, file, 0L, mappingSize, flags);
    }
  }
}
