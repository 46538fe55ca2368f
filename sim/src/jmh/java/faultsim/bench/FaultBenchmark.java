package faultsim.bench;

import faultsim.engine.RandomStreams;
import faultsim.fault.Designs;
import faultsim.fault.KernelRun;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
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
 * The full model's speed: one replication of a fault-around read workload per invocation,
 * {@code cores} tasks on as many cores reading one cached ext4 file (1 GiB, or 8 MiB per task
 * beyond 128 tasks) at random through a
 * design ({@code linux_6_6} by default), {@code runtime} simulated (500 us by default). With {@code regions}
 * {@code private} each task reads its own 8 MiB of the file (task i from offset i × 8 MiB by
 * the job's {@code offset_increment}, so their folios are disjoint); with {@code shared} every
 * task reads the same first 8 MiB, so
 * they fault on each other's folios and contend on their locks and refcounts.
 *
 * <p>The secondary score {@code faults} is simulated page faults per wall-clock second, the
 * figure to quote; {@code events} is engine events per second. Compare a design against the
 * synthetic {@link OneLockBenchmark} from the same run for a ratio that does not depend on the
 * machine's speed.
 *
 * <pre>{@code
 * mvn -B -q -Pbench -DskipTests package -pl sim -am && java -XX:+UseParallelGC -jar sim/target/benchmarks.jar FaultBenchmark -f 1 -wi 8 -w 5s -i 5
 * }</pre>
 *
 * <p>Engine events per wall-clock second against {@code cores} shows what a simulated core costs
 * as their number grows (per-task state falling out of the CPU's caches); keep the simulated work
 * per invocation similar by scaling {@code runtime} down as {@code cores} goes up:
 *
 * <pre>{@code
 * java -jar sim/target/benchmarks.jar FaultBenchmark -p design=linux_6_6 -p regions=private -p cores=8 -p runtime=4ms
 * java -jar sim/target/benchmarks.jar FaultBenchmark -p design=linux_6_6 -p regions=private -p cores=1024 -p runtime=32us
 * }</pre>
 *
 * <p>Designs run compiled to bytecode; {@code -jvmArgsAppend -Dfaultsim.interpret=true} runs
 * them on the interpreter instead, for comparing the two in one session.
 *
 * <p>Warm up for about 40 s: the design interpreter's dispatch loop reaches its fully compiled
 * speed late, and earlier iterations run two to four times slower.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 5)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
@State(Scope.Thread)
public class FaultBenchmark {
  @Param({"64"})
  int cores;

  @Param({"linux_6_6", "linux_3_15"})
  String design;

  @Param({"private", "shared"})
  String regions;

  /** Simulated time per replication, as a workload's {@code global.runtime}. */
  @Param({"500us"})
  String runtime;

  /**
   * How far, in simulated ns, a task may run ahead of the clock ({@code machine/Speculation});
   * 0: one event per costed step. A replication where running ahead turns out not to be exact
   * is run again without it, and counted in {@code fallbacks}.
   */
  @Param({"0"})
  long speculateNs;

  /** Same-time events in the intrinsic order (implied by {@code speculateNs} above 0). */
  @Param({"false"})
  boolean intrinsic;

  /**
   * Whether the oracle records every task's steps from the start; false (as {@code run} does):
   * only in a replication made again because one needed them, counted in {@code retraced}.
   */
  @Param({"false"})
  boolean traced;

  /**
   * Whether the run charges every task's time to its call stack, as {@code faultsim run} always
   * does for the report's flame graph ({@code stacks/}); false: the simulation alone.
   */
  @Param({"false"})
  boolean profiled;

  private Workload workload;
  private KernelRun.Binding binding;
  private RandomStreams streams;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    // One job of `cores` readers either way, so that per-replication setup (one latency
    // recorder per job) does not grow with the cores; `offset_increment` gives each task its
    // own 8 MiB in the private shape.
    String jobs = job("reader", cores, regions.equals("shared") ? 0 : 8);
    String yaml = """
        machine:
          cores: %d
        files:
          data:
            size: %dM
        global:
          runtime: %s
        jobs:
        %sdesigns: [%s]
        replications: 1
        """.formatted(cores, Math.max(1024, cores * 8), runtime, jobs, design);
    workload = new WorkloadLoader().parse("bench.yaml", yaml, List.of());
    binding = Designs.binding(Designs.load(design, workload));
    streams = faultsim.run.Experiment.streams(workload);
  }

  /**
   * A job of {@code numjobs} random readers of 8 MiB of the file each, task i from
   * {@code i × incrementMiB}.
   */
  private static String job(String name, int numjobs, int incrementMiB) {
    return """
          %s:
            numjobs: %d
            rw: randread
            file: data
            size: 8M
            offset_increment: %dM
        """.formatted(name, numjobs, incrementMiB);
  }

  @Benchmark
  public KernelRun replication(Counts counts) {
    KernelRun run = replicate(counts, intrinsic, speculateNs, traced);
    counts.faults += run.kernel().vmEvent("PGFAULT");
    counts.events += run.engine().eventsFired();
    if (run.machine().speculation() != null) {
      counts.inlined += run.machine().speculation().inlined();
    }
    return run;
  }

  /**
   * Replication 0, made again without running ahead if that was not exact, and with the
   * oracle's steps recorded if it needed them.
   */
  private KernelRun replicate(Counts counts, boolean intrinsic, long speculateNs,
      boolean traced) {
    try {
      KernelRun run = new KernelRun(workload, binding, streams.forReplication(0), intrinsic,
          speculateNs, traced);
      if (profiled) {
        run.machine().setTimeListener(new faultsim.machine.TimeProfile());
      }
      return run.run();
    } catch (faultsim.machine.Speculation.Conflict c) {
      counts.fallbacks++;
      return replicate(counts, true, 0, traced);
    } catch (faultsim.oracle.Oracle.TraceNeeded e) {
      counts.retraced++;
      return replicate(counts, intrinsic, speculateNs, true);
    }
  }

  /** Simulated work, reported by JMH as rates per wall-clock second. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Counts {
    /** Simulated page faults handled. */
    public long faults;

    /** Engine events fired (a step run inline counts as one). */
    public long events;

    /** Costed steps run inline, without a trip through the event list. */
    public long inlined;

    /** Replications run again because running ahead was not exact. */
    public long fallbacks;

    /** Replications run again with the oracle recording steps, because one needed them. */
    public long retraced;

    @Setup(Level.Iteration)
    public void reset() {
      faults = 0;
      events = 0;
      inlined = 0;
      fallbacks = 0;
      retraced = 0;
    }
  }
}
