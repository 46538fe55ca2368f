package faultsim.synthetic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Latencies and counts of one job's operations, recorded only while measuring (after the ramp).
 * Latencies in nanoseconds, 1 ns to 1 hour at 3 significant digits.
 */
public final class OpRecorder {
  private static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;

  private final String job;
  private final Histogram latencyNs = new Histogram(1, HIGHEST_TRACKABLE_NS, 3);
  private final Histogram interval = new Histogram(1, HIGHEST_TRACKABLE_NS, 3);
  private final List<Interval> intervals = new ArrayList<>();
  private long intervalStartNs;
  private boolean measuring;
  private long operations;
  private long totalLatencyNs;

  public OpRecorder(String job) {
    this.job = job;
  }

  public String job() {
    return job;
  }

  /**
   * One interval's latencies, as an HdrHistogram interval log records them.
   *
   * @param startNs simulated start of the interval
   * @param endNs simulated end
   * @param latencyNs latencies of operations completed in it
   */
  public record Interval(long startNs, long endNs, Histogram latencyNs) {}

  /** Starts counting at {@code nowNs} (the ramp is over); earlier operations are forgotten. */
  public void startMeasuring(long nowNs) {
    measuring = true;
    intervalStartNs = nowNs;
    interval.reset();
    intervals.clear();
    operations = 0;
    retries = 0;
    spans.clear();
    totalLatencyNs = 0;
    latencyNs.reset();
  }

  public void record(long latency) {
    record(latency, 0);
  }

  /** Most operation spans kept for timelines (truncates and punches are few). */
  public static final int MAX_SPANS = 1000;

  /** One operation from start to end, simulated ns. */
  public record Span(long startNs, long endNs) {}

  private final List<Span> spans = new ArrayList<>();
  private long retries;

  /** Records an operation that ended now after {@code latency} ns and {@code retries} retries. */
  public void record(long latency, long retries) {
    if (measuring) {
      this.retries += retries;
      operations++;
      totalLatencyNs += latency;
      long v = Math.max(1, Math.min(latency, HIGHEST_TRACKABLE_NS));
      latencyNs.recordValue(v);
      interval.recordValue(v);
    }
  }

  public long operations() {
    return operations;
  }

  /** Retries of the operations recorded. */
  public long retries() {
    return retries;
  }

  /** Keeps the span of an operation (for the first {@link #MAX_SPANS} while measuring). */
  public void recordSpan(long startNs, long endNs) {
    if (measuring && spans.size() < MAX_SPANS) {
      spans.add(new Span(startNs, endNs));
    }
  }

  /** Operation spans kept, in completion order. */
  public List<Span> spans() {
    return Collections.unmodifiableList(spans);
  }

  /** Closes the current interval at {@code nowNs} and starts the next. */
  public void endInterval(long nowNs) {
    if (!measuring) {
      return;
    }
    Histogram copy = interval.copy();
    copy.setStartTimeStamp(intervalStartNs);
    copy.setEndTimeStamp(nowNs);
    intervals.add(new Interval(intervalStartNs, nowNs, copy));
    interval.reset();
    intervalStartNs = nowNs;
  }

  /** The closed intervals, in time order. */
  public List<Interval> intervals() {
    return Collections.unmodifiableList(intervals);
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
