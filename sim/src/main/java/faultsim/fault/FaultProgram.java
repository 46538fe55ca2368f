package faultsim.fault;

import faultsim.kernel.AccessPattern;
import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import faultsim.machine.Program;
import faultsim.machine.Task;
import faultsim.synthetic.OpRecorder;
import faultsim.synthetic.Pacer;
import umontreal.ssj.rng.RandomStream;

/**
 * A fault job's task: touches pages of its own mapping in the job's order; a touch whose PTE is
 * missing, or read-only for a write, enters the design at {@code do_user_addr_fault} (the x86
 * handler: per-VMA lock or {@code mmap_lock}, {@code handle_mm_fault}, retry). The fault's latency
 * runs from the touch to the handler's return. After as many touches as the region has pages,
 * the task ends the pass so that the next pass faults again ({@link FaultWork.BetweenPasses}):
 * {@code madvise(MADV_DONTNEED)} (the design's {@code do_madvise_dontneed}), or, as
 * will-it-scale's page_fault1..3 do, {@code munmap} and {@code mmap} again (the design's
 * {@code vm_munmap}, then {@code vm_mmap}). A task with fixed work exits after its last touch.
 * A task on a named mapping shares its VMA with others: its region is a range of addresses, and
 * it discards only that range ({@code do_madvise(mm, start, len)}), looking the VMA up again,
 * since the VMA there may have been unmapped and mapped back.
 */
final class FaultProgram implements Program {
  /** {@code FAULT_FLAG_WRITE}. */
  static final long FAULT_FLAG_WRITE = 0x01;
  /** {@code FAULT_FLAG_DEFAULT | FAULT_FLAG_USER}: ALLOW_RETRY, KILLABLE, INTERRUPTIBLE, USER. */
  static final long USER_FAULT_FLAGS = 0x04 | 0x10 | 0x200 | 0x40;
  /** A touch that does not fault: one access through the TLB. */
  static final long ACCESS_NS = 5;

  private final KernelSpec.FaultJob job;
  /** The task's own VMA (replaced when it is unmapped and mapped again), or null on a named
   * mapping. */
  private Vma vma;
  /** The region's first address on a named mapping; on the task's own VMA, its start. */
  private final long regionStart;
  private final MmStruct mm;
  private final DesignRunner design;
  private final KernelContext ctx;
  private final AccessPattern pattern;
  private final RandomStream stream;
  private final Pacer pacer;
  private final OpRecorder recorder;
  private final long pages;
  private final FaultJobProgress progress;
  private final FaultJobProgress.Job progressJob;
  private final long touchTarget;

  private DesignRunner.Call call;
  private Between between = Between.NONE;
  private boolean started;
  private long touches;
  private long touchesThisPass;
  private long faultStartNs;
  private long faults;
  private long faultAddress;

  /** Which part of the step between two passes is under way. */
  private enum Between { NONE, DONTNEED, MUNMAP, MMAP }

  FaultProgram(KernelSpec.FaultJob job, Vma vma, DesignRunner design, KernelContext ctx,
      RandomStream stream, OpRecorder recorder, FaultJobProgress progress,
      FaultJobProgress.Job progressJob) {
    this(job, vma, vma.mm(), vma.start(), job.size() / Kernel.PAGE_SIZE, design, ctx, stream,
        recorder, progress, progressJob);
  }

  /** A task on [{@code regionStart}, + {@code pages}) of a named mapping of {@code mm}. */
  FaultProgram(KernelSpec.FaultJob job, MmStruct mm, long regionStart, long pages,
      DesignRunner design, KernelContext ctx, RandomStream stream, OpRecorder recorder,
      FaultJobProgress progress, FaultJobProgress.Job progressJob) {
    this(job, null, mm, regionStart, pages, design, ctx, stream, recorder, progress,
        progressJob);
  }

  private FaultProgram(KernelSpec.FaultJob job, Vma vma, MmStruct mm, long regionStart,
      long pages, DesignRunner design, KernelContext ctx, RandomStream stream,
      OpRecorder recorder, FaultJobProgress progress, FaultJobProgress.Job progressJob) {
    this.job = job;
    this.vma = vma;
    this.mm = mm;
    this.regionStart = regionStart;
    this.design = design;
    this.ctx = ctx;
    this.pages = pages;
    this.pattern = AccessPattern.parse(job.pattern(), pages);
    this.stream = stream;
    this.pacer = job.pacing().pacer(stream);
    this.recorder = recorder;
    this.progress = progress;
    this.progressJob = progressJob;
    this.touchTarget = job.work().touches(pages);
  }

  @Override
  public void step(Task t) {
    if (!started) {
      started = true;
      progress.started(progressJob);
    }
    if (call != null) {
      call.step(t);
      if (!call.finished()) {
        return;
      }
      Object ret = call.returnValue();
      call = null;
      if (between != Between.NONE) {
        betweenPassesStepDone(t, ret);
      } else {
        ctx.oracle().faultEnds(t, ret instanceof Long r
            && (r & (KernelHost.VM_FAULT_SIGSEGV | KernelHost.VM_FAULT_SIGBUS)) != 0);
        long retries = ctx.takeRetries(t);
        recorder.record(faultStartNs, t.machine().engine().now(), retries);
        t.countOperation();
        ctx.oracle().faultRetries(t, faultAddress, retries);
        faults++;
      }
      return;
    }
    if (job.pacing().loops() > 0 && faults >= job.pacing().loops()) {
      t.exit();
      return;
    }
    if (touchTarget > 0 && touches == touchTarget) {
      progress.finished(progressJob);
      t.exit();
      return;
    }
    if (touchesThisPass == pages) {
      touchesThisPass = 0;
      if (vma == null) {
        between = Between.DONTNEED;
        call = design.start(t, "do_madvise", mm, regionStart, pages * Kernel.PAGE_SIZE);
      } else if (job.work().between() == FaultWork.BetweenPasses.MUNMAP) {
        between = Between.MUNMAP;
        call = design.start(t, "vm_munmap", mm, vma);
      } else {
        between = Between.DONTNEED;
        call = design.start(t, "do_madvise_dontneed", mm, vma);
      }
      return;
    }
    if (pacer.step(t)) {
      return;
    }
    touchesThisPass++;
    touches++;
    progress.touched(progressJob);
    long page = pattern.next(stream);
    boolean write = switch (job.rw()) {
      case READ, RANDREAD -> false;
      case WRITE, RANDWRITE -> true;
      case RW, RANDRW -> stream.nextDouble() * 100 >= job.rwmixread();
    };
    long address = (vma != null ? vma.start() : regionStart) + page * Kernel.PAGE_SIZE;
    if (mm.pte(address) != null && (!write || mm.pteWritable(address))) {
      t.cpu(ACCESS_NS);
      return;
    }
    faultStartNs = t.machine().engine().now();
    faultAddress = address;
    ctx.takeRetries(t);
    ctx.oracle().faultStarts(t);
    call = design.start(t, "do_user_addr_fault", mm, address,
        USER_FAULT_FLAGS | (write ? FAULT_FLAG_WRITE : 0));
  }

  /**
   * A call between passes returned: after munmap, map the region again (the same file range, or
   * anonymous memory); after mmap, go on with the new VMA.
   */
  private void betweenPassesStepDone(Task t, Object ret) {
    switch (between) {
      case MUNMAP -> {
        between = Between.MMAP;
        call = design.start(t, "vm_mmap", mm, vma.file(), vma.pgoff(), job.size());
      }
      case MMAP -> {
        between = Between.NONE;
        vma = (Vma) ret;
        if (job.mapping() != KernelSpec.MappingKind.SHARED) {
          // vm_mmap's design signature carries no flags: MAP_PRIVATE's vm_flags (no VM_SHARED)
          // are set here, before the task returns to user space and touches the mapping.
          vma.setPrivate();
        }
      }
      default -> between = Between.NONE;
    }
  }
}
