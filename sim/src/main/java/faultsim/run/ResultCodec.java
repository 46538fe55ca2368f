package faultsim.run;

import faultsim.oracle.Violation;
import java.util.Map;
import faultsim.stats.LockStatRow;
import faultsim.synthetic.OpRecorder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import org.HdrHistogram.Histogram;

/**
 * A {@link ReplicationResult} as bytes, so it can come back from another host: numbers as fixed
 * width big-endian values, strings as UTF-8 with a length, lists with a count, and every
 * histogram in HdrHistogram's compressed encoding (with its start and end time stamps and tag,
 * which that encoding leaves out). Decoding gives a result from which {@code ResultsWriter}
 * writes the same bytes as from the original. The first byte is the format version.
 */
public final class ResultCodec {
  private static final int VERSION = 6;
  /** Histograms of results reach 1 h in ns; decoding never needs to widen them. */
  private static final long MIN_HIGHEST_TRACKABLE = 2;

  private ResultCodec() {}

  public static byte[] encode(ReplicationResult r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      string(out, r.design());
      out.writeInt(r.replication());
      out.writeInt(r.jobs().size());
      for (JobResult j : r.jobs()) {
        string(out, j.job());
        string(out, j.op());
        out.writeLong(j.operations());
        out.writeDouble(j.throughput());
        out.writeDouble(j.meanLatencyNs());
        histogram(out, j.latencyNs());
        out.writeInt(j.intervals().size());
        for (OpRecorder.Interval iv : j.intervals()) {
          out.writeLong(iv.startNs());
          out.writeLong(iv.endNs());
          histogram(out, iv.latencyNs());
        }
        out.writeLong(j.retries());
        OpRecorder.Timeline t = j.timeline();
        out.writeLong(t.startNs());
        out.writeLong(t.runtimeNs());
        out.writeInt(t.ops().length);
        for (long v : t.ops()) {
          out.writeLong(v);
        }
        out.writeInt(t.spans().size());
        for (OpRecorder.Span sp : t.spans()) {
          out.writeLong(sp.startNs());
          out.writeLong(sp.endNs());
        }
        out.writeInt(j.metrics().size());
        for (Map.Entry<String, Double> m : j.metrics().entrySet()) {
          string(out, m.getKey());
          out.writeDouble(m.getValue());
        }
      }
      out.writeInt(r.locks().size());
      for (LockStatRow l : r.locks()) {
        string(out, l.className());
        string(out, l.side());
        for (long v : new long[] {l.conBounces(), l.contentions(), l.waitMinNs(), l.waitMaxNs(),
            l.waitTotalNs(), l.acqBounces(), l.acquisitions(), l.holdMinNs(), l.holdMaxNs(),
            l.holdTotalNs(), l.holds(), l.waitingAtEnd(), l.waitingAtEndNs()}) {
          out.writeLong(v);
        }
        counts(out, l.contentionPoints());
        counts(out, l.contendingPoints());
      }
      ReplicationResult.CpuTime c = r.cpu();
      for (long v : new long[] {c.busyNs(), c.spinNs(), c.idleNs(), c.sleepNs(), c.ioNs(),
          c.runnableNs(), c.ioWaitNs()}) {
        out.writeLong(v);
      }
      out.writeLong(r.events());
      counts(out, r.violationCounts());
      out.writeInt(r.violations().size());
      for (Violation v : r.violations()) {
        string(out, v.kind());
        out.writeLong(v.timeNs());
        string(out, v.summary());
        string(out, v.timeline());
      }
      counts(out, r.vmstat());
      counts(out, r.lockOrder());
      counts(out, r.stacks());
      out.writeInt(r.tasks().size());
      for (ReplicationResult.TaskTime t : r.tasks()) {
        string(out, t.task());
        string(out, t.job());
        for (long v : new long[] {t.operations(), t.busyNs(), t.spinNs(), t.sleepNs(), t.ioNs(),
            t.runnableNs()}) {
          out.writeLong(v);
        }
      }
      string(out, r.trace().json());
      out.writeLong(r.trace().truncatedAtNs());
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /** The result {@code bytes} encode; throws IllegalArgumentException if they are malformed. */
  public static ReplicationResult decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("result encoded in format " + version
            + ", this faultsim reads format " + VERSION);
      }
      String design = string(in);
      int replication = in.readInt();
      int nJobs = count(in);
      List<JobResult> jobs = new ArrayList<>(nJobs);
      for (int i = 0; i < nJobs; i++) {
        String job = string(in);
        String op = string(in);
        long operations = in.readLong();
        double throughput = in.readDouble();
        double mean = in.readDouble();
        Histogram latency = histogram(in);
        int nIntervals = count(in);
        List<OpRecorder.Interval> intervals = new ArrayList<>(nIntervals);
        for (int k = 0; k < nIntervals; k++) {
          long start = in.readLong();
          long end = in.readLong();
          intervals.add(new OpRecorder.Interval(start, end, histogram(in)));
        }
        long retries = in.readLong();
        long tStart = in.readLong();
        long tRuntime = in.readLong();
        long[] ops = new long[count(in)];
        for (int k = 0; k < ops.length; k++) {
          ops[k] = in.readLong();
        }
        int nSpans = count(in);
        List<OpRecorder.Span> spans = new ArrayList<>(nSpans);
        for (int k = 0; k < nSpans; k++) {
          spans.add(new OpRecorder.Span(in.readLong(), in.readLong()));
        }
        OpRecorder.Timeline timeline = ops.length == 0 && spans.isEmpty() && tRuntime == 0
            ? OpRecorder.Timeline.EMPTY
            : new OpRecorder.Timeline(tStart, tRuntime, ops, List.copyOf(spans));
        int nMetrics = count(in);
        Map<String, Double> metrics = new java.util.LinkedHashMap<>();
        for (int k = 0; k < nMetrics; k++) {
          String name = string(in);
          metrics.put(name, in.readDouble());
        }
        jobs.add(new JobResult(job, op, operations, throughput, mean, latency,
            List.copyOf(intervals), retries, timeline, metrics));
      }
      int nLocks = count(in);
      List<LockStatRow> locks = new ArrayList<>(nLocks);
      for (int i = 0; i < nLocks; i++) {
        locks.add(new LockStatRow(string(in), string(in), in.readLong(), in.readLong(),
            in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
            in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
            in.readLong(), counts(in), counts(in)));
      }
      ReplicationResult.CpuTime cpu = new ReplicationResult.CpuTime(in.readLong(), in.readLong(),
          in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
      long events = in.readLong();
      Map<String, Long> violationCounts = counts(in);
      int nViolations = count(in);
      List<Violation> violations = new ArrayList<>(nViolations);
      for (int i = 0; i < nViolations; i++) {
        String kind = string(in);
        long time = in.readLong();
        violations.add(new Violation(kind, time, string(in), string(in)));
      }
      Map<String, Long> vmstat = counts(in);
      Map<String, Long> lockOrder = counts(in);
      Map<String, Long> stacks = counts(in);
      int nTasks = count(in);
      List<ReplicationResult.TaskTime> tasks = new ArrayList<>(nTasks);
      for (int i = 0; i < nTasks; i++) {
        tasks.add(new ReplicationResult.TaskTime(string(in), string(in), in.readLong(),
            in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong()));
      }
      String traceJson = string(in);
      ReplicationResult.Trace trace = traceJson.isEmpty() ? ReplicationResult.Trace.NONE
          : new ReplicationResult.Trace(traceJson, in.readLong());
      if (traceJson.isEmpty()) {
        in.readLong();
      }
      if (in.read() != -1) {
        throw new IllegalArgumentException("bytes left over after the encoded result");
      }
      return new ReplicationResult(design, replication, List.copyOf(jobs), List.copyOf(locks),
          cpu, events, violationCounts, List.copyOf(violations), vmstat, lockOrder, stacks,
          List.copyOf(tasks), trace);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated result: " + e, e);
    }
  }

  private static void counts(DataOutputStream out, Map<String, Long> m) throws IOException {
    out.writeInt(m.size());
    for (Map.Entry<String, Long> e : m.entrySet()) {
      string(out, e.getKey());
      out.writeLong(e.getValue());
    }
  }

  /** A map written by {@link #counts(DataOutputStream, Map)}, in its order. */
  private static Map<String, Long> counts(DataInputStream in) throws IOException {
    int n = count(in);
    Map<String, Long> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String k = string(in);
      m.put(k, in.readLong());
    }
    return m;
  }

  private static void histogram(DataOutputStream out, Histogram h) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf, Deflater.BEST_SPEED);
    out.writeInt(n);
    out.write(buf.array(), 0, n);
    out.writeLong(h.getStartTimeStamp());
    out.writeLong(h.getEndTimeStamp());
    out.writeBoolean(h.getTag() != null);
    if (h.getTag() != null) {
      string(out, h.getTag());
    }
  }

  private static Histogram histogram(DataInputStream in) throws IOException {
    byte[] compressed = new byte[count(in)];
    in.readFully(compressed);
    Histogram h;
    try {
      h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(compressed),
          MIN_HIGHEST_TRACKABLE);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("malformed histogram: " + e.getMessage(), e);
    }
    h.setStartTimeStamp(in.readLong());
    h.setEndTimeStamp(in.readLong());
    if (in.readBoolean()) {
      h.setTag(string(in));
    }
    return h;
  }

  /** Writes {@code s} as its UTF-8 length and bytes (the codec's strings, and hunt tasks'). */
  public static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  /** Reads a string {@link #string(DataOutputStream, String)} wrote. */
  public static String string(DataInputStream in) throws IOException {
    byte[] b = new byte[count(in)];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /**
   * Reads a length or count, refused when it is negative or larger than the bytes left (so a
   * corrupt input cannot make a huge allocation).
   */
  public static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IllegalArgumentException("length " + n + " does not fit in the "
          + in.available() + " bytes left");
    }
    return n;
  }
}
