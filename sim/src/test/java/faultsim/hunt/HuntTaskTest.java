package faultsim.hunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.engine.RandomStreams;
import faultsim.fault.Designs;
import faultsim.run.Experiment;
import faultsim.run.LocalRunPool;
import faultsim.run.PoolTask;
import faultsim.run.RunPool;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A hunt's schedules as plain values ({@link HuntTask}): they travel as bytes and run the same
 * wherever they run, and a hunt's outcome does not depend on the pool that runs them, the order
 * in which their results arrive, or schedules lost and run again. The DAX workload at 100 us:
 * {@code dax_isize_recheck} shows stale data at a random schedule of the first few.
 */
final class HuntTaskTest {
  static final Path DAX = Path.of("..", "workloads", "dax-fault-vs-punch.yaml");
  static final List<String> SETS = List.of("global.runtime=100us",
      "designs=[dax_isize_recheck,linux_6_6]");

  private static final Point P1 = new Point("writer/0", 12, "dax_get_block", 4_000);
  private static final Point P2 = new Point("punch", 3, "unmap_mapping_range", 1);

  @Test
  void everyKindOfDelays_roundTripsThroughItsBytes() {
    List<HuntTask.Delays> all = List.of(new HuntTask.Count(),
        new HuntTask.AtTaskPoints(Map.of("punch", Map.of(3L, 7L, 1L, 2L), "writer/0",
            Map.of(40L, 9_000L))),
        new HuntTask.RandomDelays(-5L, 0.001, 2_000, 9_999),
        new HuntTask.Replay(List.of(P1, P2)), new HuntTask.Replay(List.of()),
        new HuntTask.Observe(42, 17, 7));
    for (HuntTask.Delays d : all) {
      HuntTask t = new HuntTask("h1", "w.yaml", "text ü\n", List.of("a=1", "b=[x,y]"), "label",
          3, d);
      HuntTask back = HuntTask.decode(t.encode());
      assertThat(back.delays()).as(d.toString()).isEqualTo(d);
      assertThat(back.design()).isEqualTo("label");
      assertThat(back.replication()).isEqualTo(3);
      // Encoding is a function of the values: the decoded task encodes to the same bytes.
      assertThat(back.encode()).isEqualTo(t.encode());
    }
  }

  @Test
  void malformedBytes_areRefusedWithAMessage() {
    byte[] b = new HuntTask("h", "w.yaml", "t", List.of(), "d", 0, new HuntTask.Count())
        .encode();
    byte[] cut = java.util.Arrays.copyOf(b, b.length - 1);
    assertThatThrownBy(() -> HuntTask.decode(cut)).isInstanceOf(IllegalArgumentException.class);
    byte[] longer = java.util.Arrays.copyOf(b, b.length + 1);
    assertThatThrownBy(() -> HuntTask.decode(longer))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("left over");
    b[b.length - 1] = 9;
    assertThatThrownBy(() -> HuntTask.decode(b)).hasMessageContaining("unknown kind of delays 9");
  }

  @Test
  void aTaskRebuiltFromItsBytes_givesTheOutcomeOfTheLocalTask() throws Exception {
    // The local task runs on the workload already loaded; the decoded one parses the text and
    // looks the design up by its label, as a worker does. Their answers must be the same bytes,
    // for the recorded run of the pairs strategy (which sends back the round's drawn delays)
    // and for a replay of delays.
    Workload w = new WorkloadLoader().load(DAX, SETS);
    Designs.Labelled e = Designs.find(w, "dax_isize_recheck");
    RandomStreams base = Experiment.streams(e.workload());
    for (HuntTask.Delays d : List.of(new HuntTask.Observe(1, 0, Hunt.PAIRS_PER_RUN),
        new HuntTask.Replay(List.of(new Point("writer/0", 5, "x", 3_000))),
        new HuntTask.Count())) {
      HuntTask local = new HuntTask("h", w.file(), w.sourceText(), SETS, e.label(), 1, d,
          new HuntTask.Resolved(e.workload(), e.design(), base));
      // Made here, it hands its outcome over in memory; rebuilt, it answers the bytes.
      byte[] none = local.call();
      assertThat(none).isEmpty();
      byte[] here = local.outcome(none).encode();
      byte[] there = HuntTask.decode(local.encode()).call();
      assertThat(there).as(d.toString()).isEqualTo(here);
      HuntTask.Outcome o = HuntTask.Outcome.decode(there);
      assertThat(o.encode()).isEqualTo(there);
      assertThat(o.points()).isPositive();
      if (d instanceof HuntTask.Observe) {
        // One draw per pair schedule of the round: 1 to PAIRS_PER_RUN of them.
        assertThat(o.draws()).isNotEmpty().hasSizeLessThanOrEqualTo(Hunt.PAIRS_PER_RUN);
      }
      if (d instanceof HuntTask.Count) {
        // Each task's points (its last ordinal) add up to the run's points.
        assertThat(o.perTask().values().stream().mapToLong(Long::longValue).sum())
            .isEqualTo(o.points());
      }
    }
  }

  @Test
  void huntOutcome_isTheSameOnOneThread_outOfOrder_andWithLostSchedules() throws Exception {
    for (Hunt.Strategy s : Hunt.Strategy.values()) {
      Hunt.DesignResult one;
      try (LocalRunPool pool = new LocalRunPool(1)) {
        one = hunt(s, pool);
      }
      assertThat(one.findings()).as(s.key()).containsKey("stale_data");
      try (ShufflingPool pool = new ShufflingPool(false)) {
        assertSame(hunt(s, pool), one, s + " out of order");
      }
      try (ShufflingPool pool = new ShufflingPool(true)) {
        assertSame(hunt(s, pool), one, s + " with every schedule lost once");
        assertThat(pool.lost).isPositive();
      }
    }
  }

  private static Hunt.DesignResult hunt(Hunt.Strategy s, RunPool pool) throws Exception {
    Workload w = new WorkloadLoader().load(DAX, SETS);
    Designs.Labelled e = Designs.find(w, "dax_isize_recheck");
    return new Hunt(e.workload(), e.design(), e.label(),
        new Hunt.Source(w.file(), w.sourceText(), SETS), new Hunt.Settings(s, 12, 3, 1), pool)
        .run();
  }

  private static void assertSame(Hunt.DesignResult a, Hunt.DesignResult b, String what) {
    assertThat(a.points()).as(what).isEqualTo(b.points());
    assertThat(a.maxDelayNs()).as(what).isEqualTo(b.maxDelayNs());
    assertThat(a.schedulesRun()).as(what).isEqualTo(b.schedulesRun());
    assertThat(a.findings().keySet()).as(what).isEqualTo(b.findings().keySet());
    for (String k : a.findings().keySet()) {
      Hunt.Finding x = a.findings().get(k);
      Hunt.Finding y = b.findings().get(k);
      assertThat(List.of(x.schedule(), x.replication(), x.found(), x.shrunk(), x.text()))
          .as(what + " " + k)
          .isEqualTo(List.of(y.schedule(), y.replication(), y.found(), y.shrunk(), y.text()));
    }
  }

  /**
   * Runs tasks as a worker would (rebuilt from their bytes, answering bytes), three at a time,
   * answering them in an order shuffled by a fixed seed (each batch of submissions is held
   * until the caller waits on one of them); when {@code losing}, every task's first submission
   * fails as if its worker had left.
   */
  private static final class ShufflingPool implements RunPool {
    private final boolean losing;
    private final ExecutorService threads = Executors.newFixedThreadPool(3);
    private final java.util.Random order = new java.util.Random(7);
    private final List<CompletableFuture<byte[]>> held = new ArrayList<>();
    private final List<PoolTask> heldTasks = new ArrayList<>();
    private final java.util.Set<String> seen = new java.util.HashSet<>();
    int lost;

    ShufflingPool(boolean losing) {
      this.losing = losing;
    }

    @Override
    public int capacity() {
      return 6;
    }

    @Override
    public synchronized Future<byte[]> submit(PoolTask task) {
      HuntTask t = (HuntTask) task;
      byte[] wire = t.encode();
      CompletableFuture<byte[]> f = new CompletableFuture<>() {
        @Override
        public byte[] get() throws InterruptedException,
            java.util.concurrent.ExecutionException {
          release();
          return super.get();
        }
      };
      if (losing && seen.add(java.util.HexFormat.of().formatHex(wire))) {
        lost++;
        f.completeExceptionally(new IllegalStateException("worker left"));
        return f;
      }
      held.add(f);
      heldTasks.add(HuntTask.decode(wire));
      return f;
    }

    /** Starts the held tasks in a shuffled order. */
    private synchronized void release() {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < held.size(); i++) {
        idx.add(i);
      }
      Collections.shuffle(idx, order);
      for (int i : idx) {
        CompletableFuture<byte[]> f = held.get(i);
        PoolTask t = heldTasks.get(i);
        threads.submit(() -> {
          try {
            f.complete(t.call());
          } catch (Exception | Error e) {
            f.completeExceptionally(e);
          }
        });
      }
      held.clear();
      heldTasks.clear();
    }

    @Override
    public String lostBecause(Future<byte[]> run, Throwable failure) {
      return failure.getMessage().equals("worker left") ? "worker left" : null;
    }

    @Override
    public String describe() {
      return "shuffled";
    }

    @Override
    public Map<String, Object> manifestInfo() {
      return Map.of();
    }

    @Override
    public void close() {
      threads.shutdownNow();
      try {
        threads.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
