package faultsim.run;

import faultsim.synthetic.OpRecorder;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One job's operations in one replication.
 *
 * @param job the job name
 * @param op the operation name used in results ({@code <job>.<op>.hlog})
 * @param operations operations completed while measuring
 * @param throughput operations per second of simulated time
 * @param meanLatencyNs exact mean latency
 * @param latencyNs every latency, ns
 * @param intervals latencies per log interval
 * @param retries retries made by the operations (VM_FAULT_RETRY, a punch's rescans)
 * @param timeline operations completed per fixed bucket of the measured run, and each
 *     operation's start and end while there are few of them
 * @param metrics the job's further {@code summary.csv} metrics by name, in order: a fault job's
 *     {@code pages_touched}, {@code page_throughput} and, with fixed work, {@code elapsed} (ns)
 */
public record JobResult(String job, String op, long operations, double throughput,
    double meanLatencyNs, Histogram latencyNs, List<OpRecorder.Interval> intervals, long retries,
    OpRecorder.Timeline timeline, java.util.Map<String, Double> metrics) {

  public JobResult {
    metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
  }

  /** Without further metrics. */
  public JobResult(String job, String op, long operations, double throughput,
      double meanLatencyNs, Histogram latencyNs, List<OpRecorder.Interval> intervals, long retries,
      OpRecorder.Timeline timeline) {
    this(job, op, operations, throughput, meanLatencyNs, latencyNs, intervals, retries, timeline,
        java.util.Map.of());
  }

  /** Without retries or a timeline. */
  public JobResult(String job, String op, long operations, double throughput,
      double meanLatencyNs, Histogram latencyNs, List<OpRecorder.Interval> intervals) {
    this(job, op, operations, throughput, meanLatencyNs, latencyNs, intervals, 0,
        OpRecorder.Timeline.EMPTY);
  }
}
