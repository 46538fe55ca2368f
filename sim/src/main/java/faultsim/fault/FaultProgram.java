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
 * the task discards its pages ({@code madvise(MADV_DONTNEED)}, the design's
 * {@code do_madvise_dontneed}) so that the next pass faults again, as page-fault benchmarks
 * (will-it-scale page_fault1..3) unmap between passes.
 */
final class FaultProgram implements Program {
  /** {@code FAULT_FLAG_WRITE}. */
  static final long FAULT_FLAG_WRITE = 0x01;
  /** {@code FAULT_FLAG_DEFAULT | FAULT_FLAG_USER}: ALLOW_RETRY, KILLABLE, INTERRUPTIBLE, USER. */
  static final long USER_FAULT_FLAGS = 0x04 | 0x10 | 0x200 | 0x40;
  /** A touch that does not fault: one access through the TLB. */
  static final long ACCESS_NS = 5;

  private final KernelSpec.FaultJob job;
  private final Vma vma;
  private final MmStruct mm;
  private final DesignRunner design;
  private final KernelContext ctx;
  private final AccessPattern pattern;
  private final RandomStream stream;
  private final Pacer pacer;
  private final OpRecorder recorder;
  private final long pages;

  private DesignRunner.Call call;
  private boolean zapping;
  private long touchesThisPass;
  private long faultStartNs;
  private long faults;
  private long faultAddress;

  FaultProgram(KernelSpec.FaultJob job, Vma vma, DesignRunner design, KernelContext ctx,
      RandomStream stream, OpRecorder recorder) {
    this.job = job;
    this.vma = vma;
    this.mm = vma.mm();
    this.design = design;
    this.ctx = ctx;
    this.pages = job.size() / Kernel.PAGE_SIZE;
    this.pattern = AccessPattern.parse(job.pattern(), pages);
    this.stream = stream;
    this.pacer = new Pacer(job.pacing().thinktimeSpin(), job.pacing().thinktime(),
        job.pacing().ratePeriodNs(), stream);
    this.recorder = recorder;
  }

  @Override
  public void step(Task t) {
    if (call != null) {
      call.step(t);
      if (!call.finished()) {
        return;
      }
      call = null;
      if (zapping) {
        zapping = false;
      } else {
        long retries = ctx.takeRetries(t);
        recorder.record(faultStartNs, t.machine().engine().now(), retries);
        t.countOperation();
        ctx.oracle().retries(t, "fault at " + Long.toHexString(faultAddress), retries);
        faults++;
      }
      return;
    }
    if (job.pacing().loops() > 0 && faults >= job.pacing().loops()) {
      t.exit();
      return;
    }
    if (touchesThisPass == pages) {
      touchesThisPass = 0;
      zapping = true;
      call = design.start(t, "do_madvise_dontneed", mm, vma);
      return;
    }
    if (pacer.step(t)) {
      return;
    }
    touchesThisPass++;
    long page = pattern.next(stream);
    boolean write = switch (job.rw()) {
      case READ, RANDREAD -> false;
      case WRITE, RANDWRITE -> true;
      case RW, RANDRW -> stream.nextDouble() * 100 >= job.rwmixread();
    };
    long address = vma.start() + page * Kernel.PAGE_SIZE;
    if (mm.pte(address) != null && (!write || mm.pteWritable(address))) {
      t.cpu(ACCESS_NS);
      return;
    }
    faultStartNs = t.machine().engine().now();
    faultAddress = address;
    ctx.takeRetries(t);
    call = design.start(t, "do_user_addr_fault", mm, address,
        USER_FAULT_FLAGS | (write ? FAULT_FLAG_WRITE : 0));
  }

}
