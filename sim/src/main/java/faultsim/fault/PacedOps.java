package faultsim.fault;

import faultsim.machine.Program;
import faultsim.machine.Task;
import faultsim.synthetic.Pacer;
import umontreal.ssj.rng.RandomStream;

/**
 * The loop of an operation job's task: step the design call in flight until it returns, then
 * (unless the subclass has a step of its own between operations) stop after {@code loops}
 * operations, think as the job's pacing says, and begin the next operation.
 */
abstract class PacedOps implements Program {
  private final KernelSpec.Pacing pacing;
  private final Pacer pacer;
  /** The design call in flight, or null. */
  DesignRunner.Call call;
  /** Operations completed. */
  long done;

  PacedOps(KernelSpec.Pacing pacing, RandomStream stream) {
    this.pacing = pacing;
    this.pacer = pacing.pacer(stream);
  }

  @Override
  public final void step(Task t) {
    if (call != null) {
      call.step(t);
      if (!call.finished()) {
        return;
      }
      Object ret = call.returnValue();
      call = null;
      finished(t, ret);
      return;
    }
    if (between(t)) {
      return;
    }
    if (pacing.loops() > 0 && done >= pacing.loops()) {
      t.exit();
      return;
    }
    if (pacer.step(t)) {
      return;
    }
    begin(t);
  }

  /** A step between operations (an untimed undo, say); true if it started one. */
  boolean between(Task t) {
    return false;
  }

  /** Starts the next operation's design call. */
  abstract void begin(Task t);

  /** The design call in flight returned {@code ret}. */
  abstract void finished(Task t, Object ret);
}
