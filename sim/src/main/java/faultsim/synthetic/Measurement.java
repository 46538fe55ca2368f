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
}
