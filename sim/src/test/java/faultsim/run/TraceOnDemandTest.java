package faultsim.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.engine.RandomStreams;
import faultsim.fault.Designs;
import faultsim.fault.KernelRun;
import faultsim.oracle.Oracle;
import faultsim.oracle.Violation;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replication first runs with the oracle recording no steps, and is made again with them,
 * from the same random numbers, where it needs them (a violation or cycle to show): its result
 * is the always-traced one, byte for byte, either way.
 */
final class TraceOnDemandTest {
  /** Readers over their own 8 MiB of a cached file: nothing for the oracle to report. */
  private static final String READERS = """
      machine:
        cores: 4
      files:
        data:
          size: 32M
      global:
        runtime: 200us
      jobs:
        reader:
          numjobs: 4
          rw: randread
          file: data
          size: 8M
          offset_increment: 8M
      designs: [linux_6_6]
      replications: 1
      """;

  /**
   * Job a takes mutex L1 then L2, job b L2 then L1, each holding the first for 10 us; b starts
   * {@code bDelay} after a ({@link faultsim.oracle.LockOrderTest}). Two random readers run beside
   * them, drawing random numbers before the lock-order violation, so a run made again must start
   * from the replication's first numbers to give the same result.
   */
  private static String opposedLocks(String bDelay) {
    return faultsim.oracle.LockOrderTest.workload(bDelay, """
        numjobs: 2
        rw: randread
        file: data
        """);
  }

  private static Workload workload(String yaml) throws Exception {
    return new WorkloadLoader().parse("trace-on-demand.yaml", yaml, List.of());
  }

  private static KernelRun.Binding binding(Workload w) throws Exception {
    return Designs.binding(Designs.load("linux_6_6", w));
  }

  private static KernelRun untraced(Workload w) throws Exception {
    return new KernelRun(w, binding(w), Experiment.streams(w).forReplication(0), false, 0, false);
  }

  /** Replication 0 as {@code run} makes it (untraced first), its whole result encoded. */
  private static byte[] onDemand(Workload w, KernelRun.Binding b) {
    RandomStreams streams = Experiment.streams(w).forReplication(0);
    return ResultCodec.encode(Experiment.runOne(w, "linux_6_6", b, 0, streams));
  }

  /**
   * Replication 0 with every step recorded from the start (a binding that does not say it is
   * repeatable is never run untraced), its whole result encoded.
   */
  private static byte[] alwaysTraced(Workload w) throws Exception {
    RandomStreams streams = Experiment.streams(w).forReplication(0);
    KernelRun.Binding plain = binding(w);
    KernelRun.Binding notRepeatable = plain::bind;
    return ResultCodec.encode(Experiment.runOne(w, "linux_6_6", notRepeatable, 0, streams));
  }

  @Test
  void nothingToShow_untracedRunEndsAndGivesTheTracedResult() throws Exception {
    Workload w = workload(READERS);
    KernelRun r = untraced(w).run();
    assertThat(r.oracle().traced()).isFalse();
    assertThat(r.oracle().counts().values()).allMatch(n -> n == 0);
    assertThat(r.kernel().vmEvent("PGFAULT")).isPositive();

    long retraced = Experiment.RETRACED.get();
    // The whole result (latencies, lock_stat, CPU and task times, violations, vmstat, lock
    // order) is the same, byte for byte, and nothing was made again.
    assertThat(onDemand(w, binding(w))).isEqualTo(alwaysTraced(w));
    assertThat(Experiment.RETRACED.get()).isEqualTo(retraced);
  }

  /**
   * b starts 1 ms after a (which needs about 10 us): the graph gets both orders, a possible
   * circular dependency to show with both chains' steps. Untraced, the run stops there.
   */
  @Test
  void cycleToShow_untracedRunStops_andIsMadeAgainTraced() throws Exception {
    Workload w = workload(opposedLocks("1ms"));
    assertThatThrownBy(() -> untraced(w).run()).isInstanceOf(Oracle.TraceNeeded.class)
        .hasMessageStartingWith("lock-order violation: possible circular locking dependency");

    KernelRun.Binding b = binding(w);
    long retraced = Experiment.RETRACED.get();
    byte[] first = onDemand(w, b);
    assertThat(first).isEqualTo(alwaysTraced(w));
    assertThat(Experiment.RETRACED.get() - retraced).isEqualTo(1);
    ReplicationResult decoded = ResultCodec.decode(first);
    assertThat(decoded.violations()).hasSize(1);
    assertThat(decoded.violations().get(0).summary())
        .contains("task b took &test->two-W -> &test->one-W");

    // The design's next replication records its steps from the start: made once only.
    assertThat(onDemand(w, b)).isEqualTo(first);
    assertThat(Experiment.RETRACED.get() - retraced).isEqualTo(1);
  }

  /**
   * {@code run} says how many replications it made again: of three, in order on one thread, the
   * first shows the cycle and is made again; the other two share its design's binding and keep
   * their steps from the start.
   */
  @Test
  void runCommand_saysHowManyReplicationsWereMadeAgain(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("opposed.yaml");
    java.nio.file.Files.writeString(file, opposedLocks("1ms"));
    String out = faultsim.cli.Cli.out("run", file.toString(), "--design", "linux_6_6", "--out",
        dir.resolve("out").toString(), "--threads", "1", "--replications", "3");
    assertThat(out).contains("steps: 1 of 3 replications had a violation to show and"
        + " were run again keeping every task's steps, for its interleaving");
  }

  /** A run with nothing to show says nothing of steps. */
  @Test
  void runCommand_nothingMadeAgain_saysNothingOfSteps(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("readers.yaml");
    java.nio.file.Files.writeString(file, READERS);
    String out = faultsim.cli.Cli.out("run", file.toString(), "--out",
        dir.resolve("out").toString(), "--threads", "1");
    assertThat(out).contains("results: ").doesNotContain("steps:");
  }

  /**
   * A sweep runs each replication of a point as a task of its own, which finds its design again.
   * The point's tasks in one process share one binding, as a run's replications do: only the
   * first is made again with its steps kept. (The comment makes the workload's text, and so the
   * point, this test's own.)
   */
  @Test
  void sweepTasksOfOnePoint_onlyTheFirstIsMadeAgain() throws Exception {
    String yaml = "# sweep tasks of one point\n" + opposedLocks("1ms");
    Workload w = workload(yaml);
    String hash = RunKey.workloadHash(yaml);
    long retraced = Experiment.RETRACED.get();
    ReplicationResult first = RunTask.of(w, hash, List.of(), "linux_6_6", 0).run();
    ReplicationResult second = RunTask.of(w, hash, List.of(), "linux_6_6", 1).run();
    assertThat(Experiment.RETRACED.get() - retraced).isEqualTo(1);
    assertThat(ResultCodec.encode(first)).isEqualTo(alwaysTraced(w));
    assertThat(second.violations()).hasSize(1);
  }

  /**
   * b starts with a: each takes its first mutex and waits for the other's, a deadlock the oracle
   * reports (through its general path, not the cycle's) with every blocked task's steps.
   */
  @Test
  void deadlockToShow_untracedRunStops_andIsMadeAgainTraced() throws Exception {
    Workload w = workload(opposedLocks("0ns"));
    assertThatThrownBy(() -> untraced(w).run()).isInstanceOf(Oracle.TraceNeeded.class);

    long retraced = Experiment.RETRACED.get();
    byte[] result = onDemand(w, binding(w));
    assertThat(result).isEqualTo(alwaysTraced(w));
    assertThat(Experiment.RETRACED.get() - retraced).isEqualTo(1);
    assertThat(ResultCodec.decode(result).violationCounts().get(Violation.LOCK_ORDER)).isPositive();
  }
}
