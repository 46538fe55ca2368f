package faultsim.fault;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import faultsim.machine.Task;
import faultsim.synthetic.OpRecorder;
import umontreal.ssj.rng.RandomStream;

/**
 * An operation job's task. Each operation is one call into the design, timed, and one untimed
 * call that undoes it so that the next operation finds the same state:
 *
 * <ul>
 *   <li>{@code truncate}: {@code do_truncate(mapping, size)} (timed), then back to the file's
 *       size (the blocks come back as holes);
 *   <li>{@code punch_hole}: {@code vfs_fallocate(mapping, FALLOC_FL_PUNCH_HOLE |
 *       FALLOC_FL_KEEP_SIZE, offset, size)};
 *   <li>{@code mmap}: {@code vm_mmap(mm, mapping, pgoff, size)} (timed), then
 *       {@code vm_munmap(mm, vma)};
 *   <li>{@code munmap}: the same pair, the unmap timed.
 * </ul>
 *
 * Truncates and punches are announced to the oracle, which checks their range when they end.
 */
final class OpProgram extends PacedOps {
  /** {@code FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE}. */
  static final long PUNCH_MODE = 0x01 | 0x02;

  private final KernelSpec.OpJob job;
  private final AddressSpace mapping;
  private final MmStruct mm;
  private final DesignRunner design;
  private final KernelContext ctx;
  private final OpRecorder recorder;
  private final long originalSize;

  private boolean timed;
  private boolean undoNext;
  private long startNs;
  private Object oracleToken;
  private Vma vma;

  OpProgram(KernelSpec.OpJob job, AddressSpace mapping, MmStruct mm, DesignRunner design,
      KernelContext ctx, RandomStream stream, OpRecorder recorder) {
    super(job.pacing(), stream);
    this.job = job;
    this.mapping = mapping;
    this.mm = mm;
    this.design = design;
    this.ctx = ctx;
    this.recorder = recorder;
    this.originalSize = mapping.iSize();
  }

  @Override
  boolean between(Task t) {
    if (!undoNext) {
      return false;
    }
    undoNext = false;
    undo(t);
    return true;
  }

  @Override
  void begin(Task t) {
    startNs = t.machine().engine().now();
    ctx.takeRetries(t);
    long pgoff = job.offset() / Kernel.PAGE_SIZE;
    switch (job.op()) {
      case TRUNCATE -> {
        long first = (job.size() + Kernel.PAGE_SIZE - 1) / Kernel.PAGE_SIZE;
        oracleToken = ctx.oracle().opStart(t, "truncate", mapping, first, mapping.sizePages());
        timed = true;
        call = design.start(t, "do_truncate", mapping, job.size());
      }
      case PUNCH_HOLE -> {
        oracleToken = ctx.oracle().opStart(t, "punch_hole", mapping, pgoff,
            pgoff + job.size() / Kernel.PAGE_SIZE);
        timed = true;
        call = design.start(t, "vfs_fallocate", mapping, PUNCH_MODE, job.offset(), job.size());
      }
      case MMAP -> {
        timed = true;
        call = design.start(t, "vm_mmap", mm, mapping, pgoff, job.size());
      }
      case MUNMAP -> {
        timed = false;
        call = design.start(t, "vm_mmap", mm, mapping, pgoff, job.size());
      }
      default -> throw new IllegalStateException(job.op().toString());
    }
  }

  @Override
  void finished(Task t, Object ret) {
    long now = t.machine().engine().now();
    if (oracleToken != null) {
      ctx.oracle().opEnd(oracleToken);
      oracleToken = null;
    }
    if (ret instanceof Vma v) {
      vma = v;
    }
    if (timed) {
      long retries = ctx.takeRetries(t);
      recorder.record(startNs, now, retries);
      t.countOperation();
      ctx.oracle().retries(t, job.op().key() + " of " + mapping.name(), retries);
      done++;
      timed = false;
      undoNext = job.op() != KernelSpec.OpKind.PUNCH_HOLE;
    } else if (job.op() == KernelSpec.OpKind.MUNMAP && vma != null) {
      // The mapping exists: now the timed unmap.
      startNs = now;
      ctx.takeRetries(t);
      timed = true;
      Vma v = vma;
      vma = null;
      call = design.start(t, "vm_munmap", mm, v);
      undoNext = false;
    }
  }

  /** Puts back what the timed operation changed, untimed. */
  private void undo(Task t) {
    switch (job.op()) {
      case TRUNCATE -> call = design.start(t, "do_truncate", mapping, originalSize);
      case MMAP -> {
        Vma v = vma;
        vma = null;
        call = design.start(t, "vm_munmap", mm, v);
      }
      default -> {
        // munmap's undo is the next operation's mmap; a punch needs none.
      }
    }
  }
}
