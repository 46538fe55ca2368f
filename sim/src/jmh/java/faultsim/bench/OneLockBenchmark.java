package faultsim.bench;

import faultsim.engine.Dist;
import faultsim.engine.RandomStreams;
import faultsim.locks.LockKind;
import faultsim.machine.CostProfile;
import faultsim.machine.MachineSpec;
import faultsim.machine.SpinlockKind;
import faultsim.synthetic.Step;
import faultsim.synthetic.SyntheticRun;
import faultsim.synthetic.SyntheticSpec;
import faultsim.synthetic.SyntheticSpec.JobSpec;
import faultsim.synthetic.SyntheticSpec.LockSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A full synthetic experiment per invocation: {@code tasks} tasks on as many cores of the default
 * cost profile, each thinking on its CPU for exp(20 us) then holding one spinlock for exp(1 us),
 * simulated for {@value #RUNTIME_NS} ns from a cold start (no ramp). Building the machine, locks
 * and tasks is part of the measurement, as it is part of every replication.
 *
 * <p>The primary score is experiments per second. Two secondary scores, from {@link Counts}, give
 * the rate in the simulator's own units: {@code lockOps} is simulated lock acquire/release pairs
 * (completed operations) per wall-clock second, {@code events} is engine events per second. At
 * {@code tasks=64} the lock is saturated and, with ticket spinlocks, every handoff pays one cache
 * transfer per waiter, so a ticket experiment completes far fewer operations in the same simulated
 * time: compare {@code lockOps} divided by the primary score across the two kinds.
 *
 * <h2>How to run this test</h2>
 *
 * <p>From the repository root, build the benchmark jar (only the {@code bench} profile builds
 * it) and run:
 *
 * <pre>{@code
 * mvn -B -q -Pbench -DskipTests package -pl sim -am && java -XX:+UseParallelGC -jar sim/target/benchmarks.jar OneLockBenchmark -f 1 -wi 3 -i 5
 * }</pre>
 *
 * <p>The forked JVM also gets {@code -XX:+UseParallelGC} from {@code @Fork}.
 *
 * <p>Every invocation runs the same replication of the same seed, so the simulated work per
 * invocation is constant and only the wall-clock time varies.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
@State(Scope.Thread)
public class OneLockBenchmark {
  static final long RUNTIME_NS = 10_000_000L;

  private static final double THINK_MEAN_NS = 20_000;
  private static final double HOLD_MEAN_NS = 1_000;
  private static final long SEED = 42;
  private static final String JOB = "worker";

  @Param({"8", "64"})
  int tasks;

  @Param({"QUEUED", "TICKET"})
  SpinlockKind spinlock;

  private SyntheticSpec spec;
  private RandomStreams streams;

  @Setup(Level.Trial)
  public void setUp() {
    MachineSpec machine = new MachineSpec(tasks, 1, spinlock, true, CostProfile.DEFAULT);
    JobSpec job = new JobSpec(JOB, tasks, Dist.exponential(THINK_MEAN_NS), null, 0,
        List.of(new Step.Acquire("L", true), new Step.Cpu(Dist.exponential(HOLD_MEAN_NS)),
            new Step.Release("L", true)),
        0);
    spec = new SyntheticSpec(machine, List.of(new LockSpec("L", "&bench->lock", LockKind.SPINLOCK)),
        List.of(), List.of(job), 0, RUNTIME_NS);
    streams = RandomStreams.create(SEED, spec.streamNames());
  }

  @Benchmark
  public SyntheticRun experiment(Counts counts) {
    SyntheticRun run = new SyntheticRun(spec, streams.forReplication(0)).run();
    counts.lockOps += run.recorder(JOB).operations();
    counts.events += run.engine().eventsFired();
    return run;
  }

  /** Simulated work done, reported by JMH as rates per wall-clock second. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Counts {
    /** Completed lock operations (acquire, hold, release). */
    public long lockOps;

    /** Engine events fired. */
    public long events;

    @Setup(Level.Iteration)
    public void reset() {
      lockOps = 0;
      events = 0;
    }
  }
}
