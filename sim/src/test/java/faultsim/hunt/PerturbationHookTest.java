package faultsim.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import faultsim.fault.Designs;
import faultsim.lang.CompiledDesign;
import faultsim.lang.Perturbation;
import faultsim.machine.Task;
import faultsim.run.Experiment;
import faultsim.run.ReplicationResult;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The interpreter's perturbation hook, on kernel runs. */
class PerturbationHookTest {
  /** One reader alone on a two-core machine: nothing competes with it. */
  private static final String ALONE = """
      machine:
        cores: 2
      files:
        data:
          size: 256k
      global:
        runtime: 200us
        randseed: 3
      jobs:
        reader:
          rw: randread
          file: data
          thinktime: 1us
      designs: [linux_6_6]
      """;

  /** Logs when each of the reader's points is reached, and delays one of them. */
  private static final class Log implements Perturbation {
    final long delayAt;
    final long delayNs;
    final List<long[]> seen = new ArrayList<>();

    Log(long delayAt, long delayNs) {
      this.delayAt = delayAt;
      this.delayNs = delayNs;
    }

    @Override
    public long delayNs(Task t, long ordinal, String primitive) {
      seen.add(new long[] {ordinal, t.machine().engine().now()});
      return ordinal == delayAt ? delayNs : 0;
    }
  }

  private static Workload load(String yaml) throws Exception {
    return new WorkloadLoader().parse("alone.yaml", yaml, List.of());
  }

  @Test
  void aDelayShiftsEveryLaterPointOfALoneTaskByExactlyTheDelay() throws Exception {
    // The reader is the only task and has a core of its own, so a delay of 7 us before its
    // 50th primitive call is 7 us of uninterrupted computing (the 3 ms time slice is longer
    // than the run): every point after it is reached exactly 7 us later, every point up to it
    // at the same time (the 50th is asked before the delay). Device latencies come from the
    // same stream in the same order, so nothing else moves.
    Workload w = load(ALONE);
    CompiledDesign d = Designs.load("linux_6_6", w);
    Log plain = new Log(-1, 0);
    Log delayed = new Log(50, 7_000);
    Hunt.run(w, d, plain, 0, Experiment.streams(w).forReplication(0));
    Hunt.run(w, d, delayed, 0, Experiment.streams(w).forReplication(0));
    assertTrue(delayed.seen.size() > 200, "the reader makes many primitive calls");
    int common = Math.min(plain.seen.size(), delayed.seen.size());
    for (int i = 0; i < common; i++) {
      long ordinal = plain.seen.get(i)[0];
      assertEquals(i + 1, ordinal, "ordinals count the task's calls from 1");
      assertEquals(ordinal, delayed.seen.get(i)[0]);
      long shift = ordinal <= 50 ? 0 : 7_000;
      assertEquals(plain.seen.get(i)[1] + shift, delayed.seen.get(i)[1], "point " + ordinal);
    }
  }

  @Test
  void aHookThatNeverDelaysChangesNothing() throws Exception {
    // Returning 0 never calls cpu(): the run is the run without a hook, event for event, on a
    // workload with contention (two readers and a punch on 4 cores).
    Workload w = new WorkloadLoader().load(java.nio.file.Path.of("..", "workloads",
        "ext4-punch-vs-faults.yaml"), List.of("global.runtime=200us"));
    CompiledDesign d = Designs.load("linux_3_15", w);
    ReplicationResult without = Experiment.runOne(w, d.name(), Designs.binding(d), 0,
        Experiment.streams(w).forReplication(0));
    Perturbations.Recording none = Perturbations.none();
    ReplicationResult with = Hunt.run(w, d, none, 0, Experiment.streams(w).forReplication(0));
    assertEquals(without.events(), with.events());
    assertEquals(without.violationCounts(), with.violationCounts());
    assertEquals(without.violations(), with.violations());
    assertEquals(without.vmstat(), with.vmstat());
    assertEquals(without.jobs().get(0).latencyNs(), with.jobs().get(0).latencyNs());
    assertTrue(none.points() > 0);
    assertEquals(List.of(), none.applied());
  }

  @Test
  void aReplayedPointDelaysOnlyWhereTaskOrdinalAndPrimitiveMatch() throws Exception {
    // A point naming the wrong primitive for its ordinal is not applied: the run is the plain
    // one. The same point with the right primitive is applied once.
    Workload w = load(ALONE);
    CompiledDesign d = Designs.load("linux_6_6", w);
    Log plain = new Log(-1, 0);
    Hunt.run(w, d, plain, 0, Experiment.streams(w).forReplication(0));
    Perturbations.Recording counter = Perturbations.none();
    String[] name50 = new String[1];
    Hunt.run(w, d, (t, ordinal, primitive) -> {
      if (ordinal == 50) {
        name50[0] = primitive;
      }
      return counter.delayNs(t, ordinal, primitive);
    }, 0, Experiment.streams(w).forReplication(0));
    Perturbations.Recording wrong = Perturbations.replay(List.of(
        new Point("reader", 50, name50[0] + "_not", 5_000)));
    ReplicationResult r1 = Hunt.run(w, d, wrong, 0, Experiment.streams(w).forReplication(0));
    assertEquals(List.of(), wrong.applied());
    Perturbations.Recording right = Perturbations.replay(List.of(
        new Point("reader", 50, name50[0], 5_000)));
    ReplicationResult r2 = Hunt.run(w, d, right, 0, Experiment.streams(w).forReplication(0));
    assertEquals(List.of(new Point("reader", 50, name50[0], 5_000)), right.applied());
    assertTrue(r2.events() != r1.events() || !r2.jobs().get(0).latencyNs().equals(
        r1.jobs().get(0).latencyNs()), "the applied delay changes the run");
  }
}
