package faultsim.synthetic;

import faultsim.engine.Dist;
import faultsim.engine.RandomStreams;
import faultsim.locks.LockKind;
import faultsim.machine.MachineSpec;
import faultsim.synthetic.SyntheticSpec.JobSpec;
import faultsim.synthetic.SyntheticSpec.LockSpec;
import java.util.List;

/** The closed system of the queueing tests: N tasks, each thinking then holding one lock. */
final class OneLockSystem {
  private OneLockSystem() {}

  static SyntheticSpec spec(MachineSpec machine, LockKind kind, int n, Dist think,
      boolean thinkOnCpu, Dist hold, long rampNs, long runtimeNs) {
    JobSpec job = new JobSpec("worker", n, thinkOnCpu ? think : null, thinkOnCpu ? null : think, 0,
        List.of(new Step.Acquire("L", true), new Step.Cpu(hold), new Step.Release("L", true)), 0);
    return new SyntheticSpec(machine, List.of(new LockSpec("L", "&test->lock", kind)), List.of(),
        List.of(job), rampNs, runtimeNs);
  }

  static SyntheticRun run(SyntheticSpec spec, long seed) {
    RandomStreams base = RandomStreams.create(seed, spec.streamNames());
    return new SyntheticRun(spec, base.forReplication(0)).run();
  }

  /**
   * Exact Mean Value Analysis of one FCFS queue (the lock, mean service S) and one delay station
   * (think, mean Z) with n customers: Q(0) = 0; R(k) = S (1 + Q(k-1)); X(k) = k / (Z + R(k));
   * Q(k) = X(k) R(k). Returns {X(n), W(n) = R(n) - S}, in per-ns and ns.
   */
  static double[] mva(int n, double thinkNs, double holdNs) {
    double q = 0;
    double x = 0;
    double r = 0;
    for (int k = 1; k <= n; k++) {
      r = holdNs * (1 + q);
      x = k / (thinkNs + r);
      q = x * r;
    }
    return new double[] {x, r - holdNs};
  }
}
