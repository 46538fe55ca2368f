package faultsim.hunt;

import faultsim.fault.Designs;
import faultsim.lang.CompiledDesign;
import faultsim.oracle.Violation;
import faultsim.run.Experiment;
import faultsim.run.ReplicationResult;
import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.file.Path;

/** Runs a schedule file's run again: same workload, design, replication and delays. */
public final class Replay {
  private Replay() {}

  /**
   * The run again.
   *
   * @param violation the first violation of the schedule's kind, or null if the run shows none
   */
  public record Outcome(Schedule schedule, ReplicationResult run, Violation violation) {}

  /**
   * The schedule's workload as the hunt loaded it: its file (relative paths are taken from the
   * current directory) with the recorded overrides; its text must still have the recorded hash.
   */
  public static Workload workload(Schedule s, String scheduleName) throws InputException {
    Workload w = new WorkloadLoader().load(Path.of(s.workload()), s.sets());
    if (!Schedule.sha256(w.sourceText()).equals(s.workloadSha256())) {
      throw new InputException(new Diagnostic(scheduleName, 2, 1, "the workload "
          + s.workload() + " has changed since the schedule was written (its SHA-256 differs);"
          + " the schedule's delays replay only the run of the text it was found with"));
    }
    return w;
  }

  /** Runs {@code s} (read from {@code scheduleName}). */
  public static Outcome run(Schedule s, String scheduleName) throws InputException {
    Workload w = workload(s, scheduleName);
    CompiledDesign d = Designs.load(s.design(), w);
    ReplicationResult r = Hunt.run(w, d, Perturbations.replay(s.points()),
        s.replication(), Experiment.streams(w).forReplication(s.replication()));
    Violation first = null;
    for (Violation v : r.violations()) {
      if (v.kind().equals(s.kind())) {
        first = v;
        break;
      }
    }
    return new Outcome(s, r, first);
  }
}
