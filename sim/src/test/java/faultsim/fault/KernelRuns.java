package faultsim.fault;

import faultsim.engine.RandomStreams;
import faultsim.locks.LockClass;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.util.List;

/** Runs workload text through one design for tests, keeping the run to inspect. */
final class KernelRuns {
  private KernelRuns() {}

  static Workload workload(String yaml) throws InputException {
    return new WorkloadLoader().parse("test.yaml", yaml, List.of());
  }

  /** Replication 0 of {@code design} on {@code w}, run to the end. */
  static KernelRun run(Workload w, String design) throws InputException {
    RandomStreams streams = faultsim.run.Experiment.streams(w).forReplication(0);
    KernelRun.Binding b = Designs.binding(Designs.load(design, w));
    return new KernelRun(w, b, streams).run();
  }

  static KernelRun run(String yaml, String design) throws InputException {
    return run(workload(yaml), design);
  }

  /** Acquisitions of lock class {@code name} on its {@code write} side (0 if never used). */
  static long acquisitions(KernelRun r, String name, boolean write) {
    for (LockClass c : r.locks().classes()) {
      if (c.name().equals(name)) {
        return c.stats(write).acquisitions();
      }
    }
    return 0;
  }
}
