package faultsim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.locks.LockClass;
import faultsim.locks.LockKind;
import faultsim.locks.LockStats;
import faultsim.machine.Core;
import faultsim.machine.CostProfile;
import faultsim.machine.MachineSpec;
import faultsim.machine.SpinlockKind;
import faultsim.machine.Task;
import faultsim.synthetic.OpRecorder;
import faultsim.synthetic.Step;
import faultsim.synthetic.SyntheticRun;
import faultsim.synthetic.SyntheticSpec;
import faultsim.synthetic.SyntheticSpec.DeviceSpec;
import faultsim.synthetic.SyntheticSpec.JobSpec;
import faultsim.synthetic.SyntheticSpec.LockSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Determinism (style.md §7.7.3): a run is a function of its spec and seed. The spec here uses
 * every lock family with contention, random think, hold and device times, more tasks than
 * cores (so the scheduler's run queue and preemption take part) and default costs. Two runs with
 * the same seed must agree on every {@link LockStats} field of every class and side, every job's
 * operation count and latency sum, the HdrHistogram percentile output, and each core's and
 * task's time accounting; a run in another thread must too; another seed must not.
 */
final class DeterminismTest {
  private static final long RAMP_NS = 500_000;
  private static final long RUNTIME_NS = 10_000_000;

  static SyntheticSpec spec() {
    MachineSpec m = new MachineSpec(8, 2, SpinlockKind.QUEUED, true,
        new CostProfile(5, 47, 122, 2_000, 1_100, 50_000, 4_000_000, 5));
    List<LockSpec> locks = List.of(
        new LockSpec("mmap", "&mm->mmap_lock", LockKind.RWSEM),
        new LockSpec("ptl", "ptlock", LockKind.SPINLOCK),
        new LockSpec("immap", "&mapping->i_mmap_rwsem", LockKind.MUTEX),
        new LockSpec("folio", "PG_locked", LockKind.FOLIO));
    List<DeviceSpec> devices = List.of(new DeviceSpec("nvme0n1", 2, Dist.exponential(10_000),
        new Dist.Lognormal(20_000, 0.5)));
    List<JobSpec> jobs = List.of(
        new JobSpec("fault", 8, Dist.exponential(3_000), null, 0, List.of(
            new Step.Acquire("mmap", false), new Step.Cpu(Dist.exponential(800)),
            new Step.Acquire("ptl", true), new Step.Cpu(new Dist.Uniform(50, 150)),
            new Step.Release("ptl", true), new Step.Release("mmap", false)), 0),
        new JobSpec("mmap", 2, null, Dist.exponential(40_000), 0, List.of(
            new Step.Acquire("mmap", true), new Step.Cpu(Dist.exponential(3_000)),
            new Step.Release("mmap", true)), 0),
        new JobSpec("truncate", 2, null, Dist.exponential(20_000), 0, List.of(
            new Step.Acquire("immap", true), new Step.Cpu(Dist.exponential(5_000)),
            new Step.Acquire("folio", true), new Step.Io("nvme0n1", true),
            new Step.Release("folio", true), new Step.Release("immap", true)), 0),
        new JobSpec("reader", 3, null, Dist.exponential(15_000), 0, List.of(
            new Step.Acquire("folio", true), new Step.Io("nvme0n1", false),
            new Step.Release("folio", true), new Step.Sleep(Dist.constant(1_000))), 1_000));
    return new SyntheticSpec(m, locks, devices, jobs, RAMP_NS, RUNTIME_NS);
  }

  static SyntheticRun run(long seed) {
    SyntheticSpec spec = spec();
    return new SyntheticRun(spec, RandomStreams.create(seed, spec.streamNames())
        .forReplication(0)).run();
  }

  /** Everything a run reports, by name, so a difference is shown by key. */
  static Map<String, Object> fingerprint(SyntheticRun run) {
    Map<String, Object> f = new LinkedHashMap<>();
    for (LockClass c : run.locks().classes()) {
      for (boolean write : new boolean[] {true, false}) {
        LockStats s = c.stats(write);
        String k = c.name() + (write ? "-W " : "-R ");
        f.put(k + "con-bounces", s.conBounces());
        f.put(k + "contentions", s.contentions());
        f.put(k + "waittime-min", s.waitMinNs());
        f.put(k + "waittime-max", s.waitMaxNs());
        f.put(k + "waittime-total", s.waitTotalNs());
        f.put(k + "waittime-avg", s.waitAvgNs());
        f.put(k + "acq-bounces", s.acqBounces());
        f.put(k + "acquisitions", s.acquisitions());
        f.put(k + "holdtime-min", s.holdMinNs());
        f.put(k + "holdtime-max", s.holdMaxNs());
        f.put(k + "holdtime-total", s.holdTotalNs());
        f.put(k + "holdtime-avg", s.holdAvgNs());
        f.put(k + "holds", s.holds());
      }
    }
    for (OpRecorder r : run.recorders()) {
      f.put(r.job() + " ops", r.operations());
      f.put(r.job() + " latency-total", r.totalLatencyNs());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
        r.latencyNs().outputPercentileDistribution(ps, 1.0);
      }
      f.put(r.job() + " percentiles", out.toString(StandardCharsets.UTF_8));
    }
    for (int c = 0; c < run.machine().coreCount(); c++) {
      Core core = run.machine().core(c);
      f.put("cpu" + c, List.of(core.busyNs(), core.spinNs(), core.idleNs()));
    }
    for (Task t : run.machine().tasks()) {
      for (Task.State st : Task.State.values()) {
        f.put(t.name() + " " + st, t.timeInStateNs(st));
      }
    }
    f.put("events", run.engine().eventsFired());
    return f;
  }

  @Test
  void syntheticRun_sameSeedTwice_identicalResults() {
    Map<String, Object> a = fingerprint(run(2024));
    Map<String, Object> b = fingerprint(run(2024));

    // The spec must actually exercise what is compared.
    assertThat((long) a.get("&mm->mmap_lock-W contentions")).isPositive();
    assertThat((long) a.get("&mm->mmap_lock-R contentions")).isPositive();
    assertThat((long) a.get("ptlock-W contentions")).isPositive();
    assertThat((long) a.get("PG_locked-W contentions")).isPositive();
    assertThat((long) a.get("fault ops")).isGreaterThan(1_000);
    assertThat(b).containsExactlyEntriesOf(a);
  }

  @Test
  void syntheticRun_sameSeedInOtherThreads_identicalResults() throws Exception {
    Map<String, Object> here = fingerprint(run(77));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Map<String, Object>> t1 = pool.submit(() -> fingerprint(run(77)));
      Future<Map<String, Object>> t2 = pool.submit(() -> fingerprint(run(77)));
      assertThat(t1.get()).containsExactlyEntriesOf(here);
      assertThat(t2.get()).containsExactlyEntriesOf(here);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void syntheticRun_otherSeed_differentResults() {
    Map<String, Object> a = fingerprint(run(2024));
    Map<String, Object> b = fingerprint(run(2025));

    assertThat(b.get("fault percentiles")).isNotEqualTo(a.get("fault percentiles"));
    assertThat(b.get("&mm->mmap_lock-R waittime-total"))
        .isNotEqualTo(a.get("&mm->mmap_lock-R waittime-total"));
    assertThat(b).isNotEqualTo(a);
  }
}
