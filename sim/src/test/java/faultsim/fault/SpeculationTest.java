package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.engine.RandomStreams;
import faultsim.machine.Speculation;
import faultsim.run.Experiment;
import faultsim.run.ResultCodec;
import faultsim.workload.Workload;
import org.junit.jupiter.api.Test;

/**
 * Exact batching ({@link Speculation}): a task that runs ahead of the clock through costed steps
 * gives the results of the run that fires every step as an event of its own, in the same
 * (intrinsic) order of same-time events, byte for byte; where running ahead was not exact, the
 * replication is run again without it.
 */
final class SpeculationTest {
  /** Readers on 8 cores, each over its own 8 MiB of a cached file: no folio is shared. */
  private static final String PRIVATE = """
      machine:
        cores: 8
      files:
        data:
          size: 64M
      global:
        runtime: 300us
      jobs:
        reader:
          numjobs: 8
          rw: randread
          file: data
          size: 8M
          offset_increment: 8M
      designs: [linux_6_6]
      replications: 1
      """;

  /**
   * Two readers faulting the same 16 pages in the same order: each fault-around pass maps the
   * folios the other one is taking references on, within a few microseconds.
   */
  private static final String SHARED = """
      machine:
        cores: 2
      files:
        data:
          size: 64K
      global:
        runtime: 200us
      jobs:
        reader:
          numjobs: 2
          rw: read
          file: data
          size: 64K
      designs: [linux_6_6]
      replications: 1
      """;

  private static KernelRun run(Workload w, boolean intrinsic, long speculateNs) throws Exception {
    RandomStreams streams = Experiment.streams(w).forReplication(0);
    KernelRun.Binding b = Designs.binding(Designs.load("linux_6_6", w));
    return new KernelRun(w, b, streams, intrinsic, speculateNs).run();
  }

  /**
   * Replication 0 of {@code design} through Experiment.runOne, its whole result encoded, with
   * system property {@code property} set to {@code value}.
   */
  static byte[] result(Workload w, String design, String property, String value)
      throws Exception {
    return faultsim.TestProperties.with(property, value, () -> {
      RandomStreams streams = Experiment.streams(w).forReplication(0);
      KernelRun.Binding b = Designs.binding(Designs.load(design, w));
      return ResultCodec.encode(Experiment.runOne(w, design, b, 0, streams));
    });
  }

  @Test
  void privateRegions_runAheadWithoutConflict_andChangeNothing() throws Exception {
    Workload w = KernelRuns.workload(PRIVATE);
    KernelRun plain = run(w, true, 0);
    KernelRun ahead = run(w, true, 20_000);

    // It did run ahead: fault-around's per-folio steps (cursor, folio_try_get, folio_trylock,
    // set_pte_at, folio_unlock, folio_put) are all marked, and no folio is shared, so no
    // replication had to be run again (run() returned) and steps were inlined.
    assertThat(ahead.machine().speculation().inlined()).isPositive();
    // Events count a step run inline as the event it would have been.
    assertThat(ahead.engine().eventsFired()).isEqualTo(plain.engine().eventsFired());
    assertThat(ahead.engine().now()).isEqualTo(plain.engine().now());
    assertThat(ahead.kernel().vmstat()).isEqualTo(plain.kernel().vmstat());

    // The whole replication result (jobs' latencies, lock_stat, CPU and task times, stacks,
    // violations, vmstat, lock order) is the same, byte for byte.
    assertThat(result(w, "linux_6_6", KernelRun.SPECULATE_PROPERTY, "20000"))
        .isEqualTo(result(w, "linux_6_6", KernelRun.INTRINSIC_ORDER_PROPERTY, "true"));
  }

  /**
   * The two readers conflict; the replication is run again and gives the plain result. With
   * random reads they draw random offsets before the conflict, so the run made again must also
   * start from the replication's first random numbers.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"read", "randread"})
  void sharedFolios_conflict_replicationRunAgainGivesThePlainResult(String rw) throws Exception {
    Workload w = KernelRuns.workload(SHARED.replace("rw: read", "rw: " + rw));
    assertThatThrownBy(() -> run(w, true, 20_000)).isInstanceOf(Speculation.Conflict.class);

    long before = Experiment.SPECULATION_FALLBACKS.get();
    byte[] speculated = result(w, "linux_6_6", KernelRun.SPECULATE_PROPERTY, "20000");
    assertThat(Experiment.SPECULATION_FALLBACKS.get()).isGreaterThan(before);
    assertThat(speculated).isEqualTo(result(w, "linux_6_6", KernelRun.INTRINSIC_ORDER_PROPERTY, "true"));
  }

  /**
   * A hunt's run counts the interaction points it passes in its perturbation, an object that
   * lives across the run: a replication made again after a conflict would count them twice. So a
   * perturbed run never runs ahead: with the setting on, on the workload that conflicts, it
   * passes exactly the points of the run in the same (intrinsic) order without it.
   */
  @Test
  void perturbedRun_doesNotRunAhead_soItsPointsAreCountedOnce() throws Exception {
    Workload w = KernelRuns.workload(SHARED);
    faultsim.lang.CompiledDesign d = Designs.load("linux_6_6", w);
    faultsim.hunt.Perturbations.Recording plain = faultsim.hunt.Perturbations.none();
    faultsim.TestProperties.with(KernelRun.INTRINSIC_ORDER_PROPERTY, "true",
        () -> faultsim.hunt.Hunt.run(w, d, plain, 0, Experiment.streams(w).forReplication(0)));
    faultsim.hunt.Perturbations.Recording ahead = faultsim.hunt.Perturbations.none();
    faultsim.TestProperties.with(KernelRun.SPECULATE_PROPERTY, "20000",
        () -> faultsim.hunt.Hunt.run(w, d, ahead, 0, Experiment.streams(w).forReplication(0)));
    assertThat(plain.points()).isPositive();
    assertThat(ahead.points()).isEqualTo(plain.points());
  }

  @Test
  void runCommand_reportsInlinedEventsAndTheFirstConflict(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    // Two readers of the same 16 pages conflict (as above): run says so, naming the design, the
    // replication and what was touched out of order. Of three replications (one thread, in
    // order), the first conflicts and runs again; the other two share its design and run
    // without speculation from the start.
    java.nio.file.Path file = dir.resolve("shared.yaml");
    java.nio.file.Files.writeString(file, SHARED);
    Experiment.SPECULATION_CONFLICTS.clear();
    long fallbacks = Experiment.SPECULATION_FALLBACKS.get();
    long skipped = Experiment.SPECULATION_SKIPPED.get();
    String out = faultsim.TestProperties.with(KernelRun.SPECULATE_PROPERTY, "20000",
        () -> faultsim.cli.Cli.out("run", file.toString(), "--out",
            dir.resolve("out").toString(), "--threads", "1", "--replications", "3"));
    assertThat(Experiment.SPECULATION_FALLBACKS.get() - fallbacks).isEqualTo(1);
    assertThat(Experiment.SPECULATION_SKIPPED.get() - skipped).isEqualTo(2);
    assertThat(out).containsPattern(
        "speculation: first conflict: linux_6_6 replication 0: a (read|write) of .+ came before");
  }

  @Test
  void speculation_withoutIntrinsicOrder_isRefused() {
    assertThatThrownBy(() -> new Speculation(new faultsim.engine.Engine(), 1000))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
