package faultsim.bench;

import faultsim.engine.Engine;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second of the engine's event loop in the classic "hold" model: {@code pending}
 * events are always in the list; each, when it fires, schedules itself again after an
 * exponential delay (mean 1 us). Two loops run the same model from the same seed:
 *
 * <ul>
 *   <li>{@link #engine}: {@link Engine} with one {@link Engine.Timer} per event (its timing
 *       wheel for the next 4,096 ns, its heap for later events);
 *   <li>{@link #plainHeap}: a 4-ary min-heap on parallel arrays, keyed by {@code long} time then
 *       a {@code long} sequence number: a baseline for an event list with the same ordering rule
 *       (time, then order of scheduling).
 * </ul>
 *
 * <p>Both fire the same events in the same order (same delays, same tie-breaking), {@value
 * #EVENTS} per invocation, so the scores are events per second and their ratio is the engine's
 * overhead. Each measurement iteration starts from a freshly seeded list.
 *
 * <h2>How to run this test</h2>
 *
 * <p>From the repository root, build the benchmark jar (only the {@code bench} profile builds
 * it) and run:
 *
 * <pre>{@code
 * mvn -B -q -Pbench -DskipTests package -pl sim -am && java -XX:+UseParallelGC -jar sim/target/benchmarks.jar EventLoopBenchmark -f 1 -wi 3 -i 5
 * }</pre>
 *
 * <p>The forked JVM also gets {@code -XX:+UseParallelGC} from {@code @Fork}.
 *
 * <p>Add {@code -p pending=1024} to pick one list size, {@code -prof gc} to see allocation per
 * event. On a shared or small machine compare the two scores of one run, not scores across runs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class EventLoopBenchmark {
  /** Events fired per benchmark invocation. */
  static final int EVENTS = 1 << 16;

  private static final double MEAN_DELAY_NS = 1_000;
  private static final long SEED = 0x5EED_F00DL;

  /** Far beyond the simulated time {@value #EVENTS} events can take; the loop stops by count. */
  private static final long HORIZON_NS = 3_600_000_000_000L;

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long engine(EngineHold s) {
    return s.fire(EVENTS);
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public long plainHeap(HeapHold s) {
    return s.fire(EVENTS);
  }

  /** The hold model on {@link Engine}. */
  @State(Scope.Thread)
  public static class EngineHold {
    @Param({"64", "1024"})
    int pending;

    private Engine engine;
    private ExpDelays delays;
    private long fired;
    private long target;

    @Setup(Level.Iteration)
    public void setUp() {
      engine = new Engine();
      delays = new ExpDelays(MEAN_DELAY_NS, SEED);
      fired = 0;
      for (int i = 0; i < pending; i++) {
        engine.schedule(new HoldTimer(this), delays.next());
      }
    }

    /** Fires {@code n} events; returns the clock. */
    long fire(int n) {
      target = fired + n;
      engine.runUntil(engine.now() + HORIZON_NS);
      if (fired != target) {
        throw new IllegalStateException("fired " + fired + " events, wanted " + target);
      }
      return engine.now();
    }

    void onFire(HoldTimer t) {
      if (++fired == target) {
        engine.stop();
      }
      engine.schedule(t, delays.next());
    }
  }

  /** One pending event of {@link EngineHold}. */
  static final class HoldTimer extends Engine.Timer {
    private final EngineHold hold;

    HoldTimer(EngineHold hold) {
      super(hold.engine);
      this.hold = hold;
    }

    @Override
    protected void fire() {
      hold.onFire(this);
    }
  }

  /** The hold model on a plain 4-ary heap; an event is an {@code int} id. */
  @State(Scope.Thread)
  public static class HeapHold {
    @Param({"64", "1024"})
    int pending;

    private ExpDelays delays;
    private long[] times;
    private long[] seqs;
    private int[] ids;
    private int size;
    private long nextSeq;
    private long now;

    @Setup(Level.Iteration)
    public void setUp() {
      delays = new ExpDelays(MEAN_DELAY_NS, SEED);
      times = new long[pending];
      seqs = new long[pending];
      ids = new int[pending];
      size = 0;
      nextSeq = 0;
      now = 0;
      for (int i = 0; i < pending; i++) {
        schedule(i, delays.next());
      }
    }

    /** Fires {@code n} events; returns the clock. */
    long fire(int n) {
      for (int i = 0; i < n; i++) {
        int id = removeFirst();
        onFire(id);
      }
      return now;
    }

    private void onFire(int id) {
      schedule(id, delays.next());
    }

    private void schedule(int id, long delayNs) {
      if (size == times.length) {
        grow();
      }
      long t = now + delayNs;
      long q = nextSeq++;
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 2;
        if (!before(t, q, times[parent], seqs[parent])) {
          break;
        }
        times[i] = times[parent];
        seqs[i] = seqs[parent];
        ids[i] = ids[parent];
        i = parent;
      }
      times[i] = t;
      seqs[i] = q;
      ids[i] = id;
    }

    /** Removes the earliest event, advances the clock to it and returns its id. */
    private int removeFirst() {
      int first = ids[0];
      now = times[0];
      int last = --size;
      long t = times[last];
      long q = seqs[last];
      int id = ids[last];
      int i = 0;
      while (true) {
        int child = (i << 2) + 1;
        if (child >= last) {
          break;
        }
        int end = Math.min(child + 4, last);
        int min = child;
        for (int c = child + 1; c < end; c++) {
          if (before(times[c], seqs[c], times[min], seqs[min])) {
            min = c;
          }
        }
        if (!before(times[min], seqs[min], t, q)) {
          break;
        }
        times[i] = times[min];
        seqs[i] = seqs[min];
        ids[i] = ids[min];
        i = min;
      }
      times[i] = t;
      seqs[i] = q;
      ids[i] = id;
      return first;
    }

    private static boolean before(long t1, long q1, long t2, long q2) {
      return t1 < t2 || (t1 == t2 && q1 < q2);
    }

    private void grow() {
      int n = Math.max(16, times.length * 2);
      times = Arrays.copyOf(times, n);
      seqs = Arrays.copyOf(seqs, n);
      ids = Arrays.copyOf(ids, n);
    }
  }
}
