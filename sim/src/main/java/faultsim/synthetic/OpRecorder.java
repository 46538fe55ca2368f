package faultsim.synthetic;

import org.HdrHistogram.Histogram;

/**
 * Latencies and counts of one job's operations, recorded only while measuring (after the ramp).
 * Latencies in nanoseconds, 1 ns to 1 hour at 3 significant digits.
 */
public final class OpRecorder {
  private static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;

  private final String job;
  private final Histogram latencyNs = new Histogram(1, HIGHEST_TRACKABLE_NS, 3);
  private boolean measuring;
  private long operations;
  private long totalLatencyNs;

  public OpRecorder(String job) {
    this.job = job;
  }

  public String job() {
    return job;
  }

  /** Starts counting (the ramp is over); earlier operations are forgotten. */
  public void startMeasuring() {
    measuring = true;
    operations = 0;
    totalLatencyNs = 0;
    latencyNs.reset();
  }

  public void record(long latency) {
    if (measuring) {
      operations++;
      totalLatencyNs += latency;
      latencyNs.recordValue(Math.max(1, Math.min(latency, HIGHEST_TRACKABLE_NS)));
    }
  }

  public long operations() {
    return operations;
  }

  /** Exact sum of the recorded latencies (the histogram's mean is quantised). */
  public long totalLatencyNs() {
    return totalLatencyNs;
  }

  public double meanLatencyNs() {
    return operations == 0 ? 0 : (double) totalLatencyNs / operations;
  }

  public Histogram latencyNs() {
    return latencyNs;
  }
}
