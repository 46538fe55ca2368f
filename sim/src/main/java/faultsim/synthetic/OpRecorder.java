package faultsim.synthetic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Latencies and counts of one job's operations, recorded only while measuring (after the ramp).
 * Latencies in nanoseconds, 1 ns to 1 hour at 3 significant digits.
 *
 * <p>The histograms start small and widen as larger values come ({@link #newHistogram}): a
 * histogram reaching 1 hour at 3 digits is a 270 KB array, most of it for values no fault
 * takes, and a run makes a few per job. Their buckets are those of a 1-hour histogram, so
 * counts, percentiles and the histograms' sums are the same.
 */
public final class OpRecorder {
  private static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;
  /** Where a histogram's range starts: 2^14 ns, about 16 us, before it widens. */
  private static final long INITIAL_HIGHEST_NS = 1L << 14;

  private final String job;
  /**
   * Every latency since measuring started: the sum of the intervals' histograms (closed and
   * open), made when asked for and kept until another value or interval comes. An operation is
   * recorded once, in the open interval.
   */
  private Histogram latencyNs;
  /** The open interval's latencies; null until one is recorded after the last interval closed. */
  private Histogram interval;
  private final List<Interval> intervals = new ArrayList<>();
  private long intervalStartNs;
  private boolean measuring;
  private long operations;
  private long totalLatencyNs;
  private long timelineStartNs;
  private long timelineRuntimeNs;
  private long[] timelineOps = new long[0];
  private final List<Span> spans = new ArrayList<>();
  private boolean tooManySpans;
  private final boolean keepSpans;

  public OpRecorder(String job) {
    this(job, true);
  }

  /**
   * A recorder that keeps operations' spans only if {@code keepSpans}: page faults never do
   * (each is one point among millions, however few the run has).
   */
  public OpRecorder(String job, boolean keepSpans) {
    this.job = job;
    this.keepSpans = keepSpans;
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

  /** Buckets of the measured run in {@link #timeline()}. */
  public static final int TIMELINE_BUCKETS = 100;

  /** A job with more operations than this in the measured run keeps no {@link Span}s. */
  public static final int MAX_SPANS = 1000;

  /**
   * One operation, from its first step to the end of its last.
   *
   * @param startNs simulated start (before the measured run if it began in the ramp)
   * @param endNs simulated end
   */
  public record Span(long startNs, long endNs) {}

  /**
   * The job's operations over the measured run: how many completed in each of
   * {@link #TIMELINE_BUCKETS} equal buckets, and, for a job with at most {@link #MAX_SPANS}
   * operations (a truncate, a punch, an mmap; not faults), when each ran. Bucket {@code i} runs
   * from {@link #bucketStartNs bucketStartNs(i)} to {@code bucketStartNs(i + 1)}.
   *
   * @param startNs start of the measured run
   * @param runtimeNs its length
   * @param ops operations completed per bucket (do not modify)
   * @param spans the operations completed in the measured run, in completion order; empty if
   *     there were more than {@link #MAX_SPANS}
   */
  public record Timeline(long startNs, long runtimeNs, long[] ops, List<Span> spans) {
    /** No timeline recorded. */
    public static final Timeline EMPTY = new Timeline(0, 0, new long[0], List.of());

    /** Start of bucket {@code i}; {@code bucketStartNs(ops.length)} is the end of the run. */
    public long bucketStartNs(int i) {
      return startNs + (runtimeNs * i + ops.length - 1) / ops.length;
    }
  }

  /**
   * Starts counting at {@code nowNs} (the ramp is over), and keeps a {@link #timeline()} of the
   * {@code runtimeNs} that follow; earlier operations are forgotten.
   */
  public void startMeasuring(long nowNs, long runtimeNs) {
    startMeasuring(nowNs);
    timelineStartNs = nowNs;
    timelineRuntimeNs = runtimeNs;
    timelineOps = new long[runtimeNs > 0 ? TIMELINE_BUCKETS : 0];
  }

  /** First bucket width of an open-ended timeline. */
  static final long OPEN_ENDED_BUCKET_NS = 1000;

  /**
   * Starts counting at {@code nowNs} for a run whose length is not known in advance (it ends
   * when its fixed work is done). The timeline's {@link #TIMELINE_BUCKETS} buckets start
   * {@link #OPEN_ENDED_BUCKET_NS} wide and double (neighbours merged) whenever an operation ends
   * past the last, so they always cover the run so far exactly; at the end they cover the run
   * and at most as much again.
   */
  public void startMeasuringOpenEnded(long nowNs) {
    startMeasuring(nowNs);
    timelineStartNs = nowNs;
    timelineRuntimeNs = OPEN_ENDED_BUCKET_NS * TIMELINE_BUCKETS;
    timelineOps = new long[TIMELINE_BUCKETS];
    openEnded = true;
  }

  private boolean openEnded;

  /** Starts counting at {@code nowNs} (the ramp is over); earlier operations are forgotten. */
  public void startMeasuring(long nowNs) {
    openEnded = false;
    measuring = true;
    intervalStartNs = nowNs;
    interval = null;
    intervals.clear();
    operations = 0;
    retries = 0;
    totalLatencyNs = 0;
    latencyNs = null;
    timelineOps = new long[0];
    spans.clear();
    tooManySpans = false;
  }

  /** Records an operation that ran from {@code startNs} to {@code endNs}. */
  public void record(long startNs, long endNs) {
    record(startNs, endNs, 0);
  }

  /**
   * Records an operation that ran from {@code startNs} to {@code endNs} after {@code retries}
   * retries.
   */
  public void record(long startNs, long endNs, long retries) {
    if (!measuring) {
      return;
    }
    recordLatency(endNs - startNs, retries);
    int n = timelineOps.length;
    while (openEnded && endNs - timelineStartNs >= timelineRuntimeNs) {
      for (int k = 0; k < n; k++) {
        timelineOps[k] = 2 * k + 1 < n ? timelineOps[2 * k] + timelineOps[2 * k + 1] : 0;
      }
      timelineRuntimeNs *= 2;
    }
    if (n > 0) {
      // Bucket i starts at ceil(runtime * i / n) past the start, so floor(x * n / runtime) is it.
      long i = Math.max(0, endNs - timelineStartNs) * n / timelineRuntimeNs;
      timelineOps[(int) Math.min(n - 1, i)]++;
    }
    if (keepSpans && !tooManySpans) {
      if (spans.size() == MAX_SPANS) {
        tooManySpans = true;
        spans.clear();
      } else {
        spans.add(new Span(startNs, endNs));
      }
    }
  }

  /** The timeline of the measured run so far ({@link Timeline#EMPTY} without one). */
  public Timeline timeline() {
    if (timelineOps.length == 0) {
      return Timeline.EMPTY;
    }
    return new Timeline(timelineStartNs, timelineRuntimeNs, timelineOps.clone(),
        List.copyOf(spans));
  }


  private long retries;

  private void recordLatency(long latency, long retries) {
    if (measuring) {
      this.retries += retries;
      operations++;
      totalLatencyNs += latency;
      long v = Math.max(1, Math.min(latency, HIGHEST_TRACKABLE_NS));
      latencyNs = null;
      if (interval == null) {
        interval = newHistogram();
      }
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

  /** Closes the current interval at {@code nowNs} and starts the next. */
  public void endInterval(long nowNs) {
    if (!measuring) {
      return;
    }
    // The open interval's histogram becomes the closed one; the next is made at its first value.
    Histogram closed = interval == null ? newHistogram() : interval;
    interval = null;
    closed.setStartTimeStamp(intervalStartNs);
    closed.setEndTimeStamp(nowNs);
    intervals.add(new Interval(intervalStartNs, nowNs, closed));
    latencyNs = null;
    intervalStartNs = nowNs;
  }

  /**
   * An empty histogram with the buckets of one from 1 ns to 1 hour at 3 significant digits
   * (same lowest value and precision, so every value lands in the same bucket), holding only
   * the buckets up to the largest value recorded so far: it widens as it records. A writer
   * that needs the declared range (an interval log's header names it) copies it into
   * {@link #fullRange()}.
   */
  public static Histogram newHistogram() {
    Histogram h = new Histogram(1, INITIAL_HIGHEST_NS, 3);
    h.setAutoResize(true);
    return h;
  }

  /** An empty histogram of the full range, 1 ns to 1 hour at 3 significant digits. */
  public static Histogram fullRange() {
    return new Histogram(1, HIGHEST_TRACKABLE_NS, 3);
  }

  /** {@code h}'s values in a histogram of the full range, as a log records it. */
  public static Histogram widened(Histogram h) {
    Histogram w = fullRange();
    w.add(h);
    w.setStartTimeStamp(h.getStartTimeStamp());
    w.setEndTimeStamp(h.getEndTimeStamp());
    w.setTag(h.getTag());
    return w;
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

  /** Every latency recorded since measuring started (not to be modified). */
  public Histogram latencyNs() {
    if (latencyNs == null) {
      Histogram all = newHistogram();
      for (Interval iv : intervals) {
        all.add(iv.latencyNs());
      }
      if (interval != null) {
        all.add(interval);
      }
      latencyNs = all;
    }
    return latencyNs;
  }
}
