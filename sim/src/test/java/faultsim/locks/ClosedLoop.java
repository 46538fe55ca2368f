package faultsim.locks;

import faultsim.engine.Dist;
import faultsim.engine.RandomStreams;
import faultsim.machine.MachineSpec;
import faultsim.machine.Task;
import faultsim.synthetic.Step;
import faultsim.synthetic.SyntheticRun;
import faultsim.synthetic.SyntheticSpec;
import faultsim.synthetic.SyntheticSpec.JobSpec;
import faultsim.synthetic.SyntheticSpec.LockSpec;
import java.util.List;

/**
 * The closed one-lock system of the queueing tests: N tasks on N cores, each computing for an
 * exponential think time Z, then taking one lock, computing an exponential hold S inside it and
 * releasing it. Thinking is on the CPU, so a task's sleeping time is lock waiting only.
 */
final class ClosedLoop {
  static final String JOB = "worker";
  static final String CLASS = "&test->lock";

  private ClosedLoop() {}

  static SyntheticRun run(MachineSpec machine, LockKind kind, int n, double thinkNs,
      double holdNs, long rampNs, long runtimeNs, long seed) {
    JobSpec job = new JobSpec(JOB, n, Dist.exponential(thinkNs), null, 0,
        List.of(new Step.Acquire("L", true), new Step.Cpu(Dist.exponential(holdNs)),
            new Step.Release("L", true)), 0);
    SyntheticSpec spec = new SyntheticSpec(machine, List.of(new LockSpec("L", CLASS, kind)),
        List.of(), List.of(job), rampNs, runtimeNs);
    return new SyntheticRun(spec, RandomStreams.create(seed, spec.streamNames())
        .forReplication(0)).run();
  }

  /** Operations per microsecond over the measured runtime. */
  static double perUs(SyntheticRun run, long runtimeNs) {
    return run.recorder(JOB).operations() * 1_000.0 / runtimeNs;
  }

  static long totalSpinNs(SyntheticRun run) {
    long sum = 0;
    for (int c = 0; c < run.machine().coreCount(); c++) {
      sum += run.machine().core(c).spinNs();
    }
    return sum;
  }

  static long totalTimeIn(SyntheticRun run, Task.State state) {
    long sum = 0;
    for (Task t : run.machine().tasks()) {
      sum += t.timeInStateNs(state);
    }
    return sum;
  }
}
