package faultsim.synthetic;

import faultsim.engine.Engine;
import java.util.Collection;

/**
 * The measured part of a run, fio's {@code ramp_time} then {@code runtime}: simulate the ramp,
 * reset every statistic, then simulate the runtime in latency-log intervals.
 */
public final class Measurement {
  /** Shortest latency-log interval: the HdrHistogram log format prints times to 1 ms. */
  public static final long MIN_LOG_INTERVAL_NS = 1_000_000;

  /** At most this many latency-log intervals per run. */
  public static final int MAX_LOG_INTERVALS = 100;

  private Measurement() {}

  /**
   * Runs {@code engine} for {@code rampNs}, calls {@code resetAtRampEnd}, then runs
   * {@code runtimeNs} more, closing the recorders' intervals as it goes.
   */
  public static void run(Engine engine, long rampNs, long runtimeNs, Runnable resetAtRampEnd,
      Collection<OpRecorder> recorders) {
    if (rampNs > 0) {
      engine.runUntil(rampNs);
    }
    resetAtRampEnd.run();
    for (OpRecorder r : recorders) {
      r.startMeasuring(engine.now(), runtimeNs);
    }
    long start = engine.now();
    long intervals = Math.max(1, Math.min(MAX_LOG_INTERVALS, runtimeNs / MIN_LOG_INTERVAL_NS));
    for (long i = 1; i <= intervals; i++) {
      long end = start + runtimeNs * i / intervals;
      engine.runUntil(end);
      for (OpRecorder r : recorders) {
        r.endInterval(end);
      }
    }
  }

  /**
   * Runs a fixed-work run from time 0 (no ramp) until {@code done} holds (something in the run
   * stops the engine when it does) or {@code limitNs} has passed, closing the recorders'
   * intervals every {@link #MIN_LOG_INTERVAL_NS} and at the end; their timelines grow with the
   * run ({@link OpRecorder#startMeasuringOpenEnded}). Returns the measured time.
   */
  public static long runUntilDone(Engine engine, long limitNs, java.util.function.BooleanSupplier done,
      Runnable resetAtStart, Collection<OpRecorder> recorders) {
    resetAtStart.run();
    long start = engine.now();
    for (OpRecorder r : recorders) {
      r.startMeasuringOpenEnded(start);
    }
    while (!done.getAsBoolean() && !engine.halted() && engine.now() < start + limitNs) {
      long next = Math.min(start + limitNs,
          (engine.now() - start) / MIN_LOG_INTERVAL_NS * MIN_LOG_INTERVAL_NS + MIN_LOG_INTERVAL_NS
              + start);
      engine.runUntil(next);
      for (OpRecorder r : recorders) {
        r.endInterval(engine.now());
      }
    }
    return engine.now() - start;
  }
}
