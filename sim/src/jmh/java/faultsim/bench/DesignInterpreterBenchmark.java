package faultsim.bench;

import faultsim.engine.Engine;
import faultsim.lang.CompiledDesign;
import faultsim.lang.DesignCall;
import faultsim.lang.DesignLibrary;
import faultsim.lang.FunctionHandle;
import faultsim.lang.Host;
import faultsim.lang.RunEnv;
import faultsim.locks.Lock;
import faultsim.locks.LockKind;
import faultsim.locks.Locks;
import faultsim.machine.Machine;
import faultsim.machine.MachineSpec;
import faultsim.machine.Program;
import faultsim.machine.Task;
import faultsim.workload.InputException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import umontreal.ssj.rng.MRG32k3a;

/**
 * The design interpreter against hand-written Java doing the same work.
 *
 * <ul>
 *   <li>{@code computeInterpreted} / {@code computeJava}: {@code work(1000)}, a loop of integer
 *       arithmetic with no primitive; the interpreted loop runs 19 instructions per iteration
 *       (bound check 4, loop variable 2, body 8, increment and jump 5), so its score, with
 *       {@code @OperationsPerInvocation(19_000)}, is interpreter instructions per second. The Java
 *       loop's score is in the same units (the work of one interpreted instruction), for
 *       comparison only: the JIT may well vectorise it.
 *   <li>{@code lockOpsInterpreted} / {@code lockOpsProgram}: a whole simulation, two tasks on two
 *       cores each doing {@value #OPS} times {@code mutex_lock; cpu(100ns); mutex_unlock}, through
 *       a design function driven by {@link DesignCall} versus a hand-written {@link Program}
 *       that performs the same three steps: simulated lock operations per second. The difference
 *       is what interpreting a design costs in a real run.
 * </ul>
 *
 * <p>The design runs as it is compiled to bytecode, unless the JVM is given
 * {@code -Dfaultsim.interpret=true} ({@code -jvmArgsAppend} on JMH's command line): then the
 * {@code *Interpreted} scores are the interpreter's.
 *
 * <pre>{@code
 * mvn -B -q -Pbench -DskipTests package -pl sim -am && java -jar sim/target/benchmarks.jar DesignInterpreterBenchmark -f 1 -wi 3 -i 5
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
@State(Scope.Thread)
public class DesignInterpreterBenchmark {
  static final int OPS = 10_000;
  private static final int N = 1_000;

  private static final String DESIGN = """
      design bench;
      // one mutex around 100 ns of work; an arithmetic loop
      void op(struct mutex *m) {
          mutex_lock(m);
          cpu(100ns);
          mutex_unlock(m);
      }
      int work(int n) {
          int s = 0;
          for i in range(0, n) { s = s + (i ^ 3) * 2; }
          return s;
      }
      """;

  private CompiledDesign design;
  private FunctionHandle work;
  private FunctionHandle op;
  private DesignCall call;
  private Task idleTask;

  @Setup(Level.Trial)
  public void setUp() throws InputException {
    design = DesignLibrary.compile("bench.design", DESIGN, null, Host.withCorePrimitives());
    work = design.function("work");
    op = design.function("op");
    call = new DesignCall(new RunEnv(new MRG32k3a()));
    // A task to pass to the interpreter: arithmetic never touches it.
    Machine m = new Machine(new Engine(), MachineSpec.of(1));
    idleTask = m.spawn("bench", Task::exit, 0);
    m.engine().runUntil(1);
  }

  @Benchmark
  @OperationsPerInvocation(19 * N)
  public Object computeInterpreted() {
    call.start(work, (long) N);
    call.step(idleTask);
    return call.returnValue();
  }

  @Benchmark
  @OperationsPerInvocation(19 * N)
  public void computeJava(Blackhole bh) {
    long s = 0;
    for (long i = 0; i < N; i++) {
      s = s + (i ^ 3) * 2;
    }
    bh.consume(s);
  }

  @Benchmark
  @OperationsPerInvocation(2 * OPS)
  public long lockOpsInterpreted() {
    Machine m = new Machine(new Engine(), MachineSpec.of(2));
    Lock lock = new Locks(m).create("&bench->lock", LockKind.MUTEX);
    RunEnv env = new RunEnv(new MRG32k3a());
    for (int i = 0; i < 2; i++) {
      m.spawn("t" + i, new DesignLoop(new DesignCall(env), op, lock), 0);
    }
    m.engine().runUntil(1_000_000_000_000L);
    return m.engine().eventsFired();
  }

  @Benchmark
  @OperationsPerInvocation(2 * OPS)
  public long lockOpsProgram() {
    Machine m = new Machine(new Engine(), MachineSpec.of(2));
    Lock lock = new Locks(m).create("&bench->lock", LockKind.MUTEX);
    for (int i = 0; i < 2; i++) {
      m.spawn("t" + i, new JavaLoop(lock), 0);
    }
    m.engine().runUntil(1_000_000_000_000L);
    return m.engine().eventsFired();
  }

  /** Calls {@code op(lock)} {@value #OPS} times, then exits. */
  static final class DesignLoop implements Program {
    private final DesignCall call;
    private final FunctionHandle op;
    private final Lock lock;
    private int done;

    DesignLoop(DesignCall call, FunctionHandle op, Lock lock) {
      this.call = call;
      this.op = op;
      this.lock = lock;
    }

    @Override
    public void step(Task t) {
      if (!call.running()) {
        if (done == OPS) {
          t.exit();
          return;
        }
        call.start(op, lock);
      }
      call.step(t);
      if (call.finished()) {
        done++;
      }
    }
  }

  /** The same three steps {@value #OPS} times, written by hand. */
  static final class JavaLoop implements Program {
    private final Lock lock;
    private int pc;
    private int done;

    JavaLoop(Lock lock) {
      this.lock = lock;
    }

    @Override
    public void step(Task t) {
      switch (pc) {
        case 0 -> {
          if (done == OPS) {
            t.exit();
            return;
          }
          pc = 1;
          lock.acquire(t, true);
        }
        case 1 -> {
          pc = 2;
          t.cpu(100);
        }
        default -> {
          pc = 0;
          done++;
          lock.release(t, true);
        }
      }
    }
  }
}
