package faultsim.fault;

import faultsim.machine.Task;
import faultsim.oracle.Violation;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.file.Path;
import java.util.List;

/** The example workloads of {@code workloads/}, run one design and one replication at a time. */
final class Examples {
  static final Path DIR = Path.of("..", "workloads");

  private Examples() {}

  /** {@code workloads/<file>} with {@code --set} overrides. */
  static Workload load(String file, String... sets) throws InputException {
    return new WorkloadLoader().load(DIR.resolve(file), List.of(sets));
  }

  /** Replication 0 of {@code design} on {@code workloads/<file>}. */
  static KernelRun run(String file, String design, String... sets) throws InputException {
    return KernelRuns.run(load(file, sets), design);
  }

  /** Violations of {@code kind} the oracle kept with their interleavings. */
  static List<Violation> shown(KernelRun r, String kind) {
    return r.oracle().shown().stream().filter(v -> v.kind().equals(kind)).toList();
  }

  /** How many violations of {@code kind} the run counted. */
  static long count(KernelRun r, String kind) {
    return r.oracle().counts().get(kind);
  }

  /** The first line of a violation's interleaving: where its first task was. */
  static String firstLine(Violation v) {
    return v.timeline().lines().findFirst().orElse("").strip();
  }

  /**
   * Where each task of a violation's interleaving was, from its leading {@code [task] in ...}
   * lines: {@code "task: f > g | task: h"}.
   */
  static String where(Violation v) {
    StringBuilder sb = new StringBuilder();
    for (String line : v.timeline().lines().toList()) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("^    \\[(.+)\\] in (.*)$").matcher(line);
      if (!m.matches()) {
        break;
      }
      sb.append(sb.length() == 0 ? "" : " | ").append(m.group(1)).append(": ")
          .append(m.group(2));
    }
    return sb.toString();
  }

  /** Time {@code tasks} of {@code job} spent in {@code states}, summed. */
  static long timeIn(KernelRun r, String job, Task.State... states) {
    long sum = 0;
    for (Task t : r.machine().tasks()) {
      if (t.name().equals(job) || t.name().startsWith(job + "/")) {
        for (Task.State s : states) {
          sum += t.timeInStateNs(s);
        }
      }
    }
    return sum;
  }

  /** The recorder of job {@code name}. */
  static faultsim.synthetic.OpRecorder job(KernelRun r, String name) {
    return r.recorders().stream().filter(x -> x.job().equals(name)).findFirst().orElseThrow();
  }
}
