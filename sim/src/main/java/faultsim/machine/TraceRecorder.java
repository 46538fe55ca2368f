package faultsim.machine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One run as a Chrome trace (the Trace Event Format that Perfetto UI and {@code chrome://tracing}
 * open): one track per task, and on it a complete event ({@code "ph":"X"}) for every stretch the
 * task spent in a design function, a primitive, or waiting (a lock wait is a slice of its own,
 * {@code [wait &mapping->invalidate_lock]}, inside the call that waited), built from the
 * {@link TimeProfile}'s charges: when a task's stack changes, the frames it left end and the
 * frames it entered begin. Slices nest on each track as the calls did. Timestamps and durations
 * are in microseconds of simulated time, written with three decimals (exact nanoseconds).
 *
 * <p>The trace stops growing at {@code maxBytes} of events; what was open then is closed at
 * that time and {@link #truncatedAtNs} says when.
 */
public final class TraceRecorder implements TimeProfile.Observer {
  private final long maxBytes;
  private final StringBuilder events = new StringBuilder(1 << 16);
  private final List<Track> tracks = new ArrayList<>();
  private long truncatedAtNs = -1;

  /** The frames open on one task's track, outermost first, with their start times. */
  private static final class Track {
    final Task task;
    TimeProfile.Node[] open = new TimeProfile.Node[16];
    long[] since = new long[16];
    int depth;

    Track(Task task) {
      this.task = task;
    }
  }

  public TraceRecorder(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  private final TimeProfile.Node[] path = new TimeProfile.Node[64];

  @Override
  public void charged(Task t, TimeProfile.Node node, long startNs, long ns) {
    if (truncatedAtNs >= 0) {
      return;
    }
    Track track = track(t);
    // The path below the task's root (the job, which the track itself stands for), outermost
    // first, without wait markers.
    int n = 0;
    for (TimeProfile.Node x = node; x != null && x.parent() != null; x = x.parent()) {
      if (x.frame() != null) {
        n++;
      }
    }
    TimeProfile.Node[] p = n <= path.length ? path : new TimeProfile.Node[n];
    int i = n;
    for (TimeProfile.Node x = node; x != null && x.parent() != null; x = x.parent()) {
      if (x.frame() != null) {
        p[--i] = x;
      }
    }
    int common = 0;
    while (common < n && common < track.depth && track.open[common] == p[common]) {
      common++;
    }
    close(track, common, startNs);
    if (track.open.length < n) {
      track.open = Arrays.copyOf(track.open, n * 2);
      track.since = Arrays.copyOf(track.since, n * 2);
    }
    for (int k = common; k < n; k++) {
      track.open[k] = p[k];
      track.since[k] = startNs;
    }
    track.depth = n;
    if (events.length() > maxBytes) {
      truncatedAtNs = startNs + ns;
      finishAt(truncatedAtNs);
    }
  }

  private Track track(Task t) {
    int id = t.id();
    while (tracks.size() <= id) {
      tracks.add(null);
    }
    Track tr = tracks.get(id);
    if (tr == null) {
      tr = new Track(t);
      tracks.set(id, tr);
    }
    return tr;
  }

  /** Ends the frames of {@code track} above {@code keep} at {@code atNs}, innermost first. */
  private void close(Track track, int keep, long atNs) {
    for (int k = track.depth - 1; k >= keep; k--) {
      event(track.task.id() + 1, track.open[k].frame(), track.since[k], atNs - track.since[k]);
      track.open[k] = null;
    }
    track.depth = Math.min(track.depth, keep);
  }

  private void event(int tid, String name, long startNs, long durNs) {
    events.append(events.length() == 0 ? "" : ",\n").append("{\"name\":");
    appendJsonString(events, name);
    events.append(",\"ph\":\"X\",\"pid\":1,\"tid\":").append(tid).append(",\"ts\":");
    micros(events, startNs);
    events.append(",\"dur\":");
    micros(events, durNs);
    events.append('}');
  }

  private void finishAt(long atNs) {
    for (Track tr : tracks) {
      if (tr != null) {
        close(tr, 0, atNs);
      }
    }
  }

  /** When the trace stopped growing, or -1 if it holds the whole run. */
  public long truncatedAtNs() {
    return truncatedAtNs;
  }

  /**
   * The trace as JSON, every open frame closed at {@code endNs}: a process named
   * {@code process}, a named track per task (in the order tasks were made), then the events.
   */
  public String finish(String process, List<Task> tasks, long endNs) {
    if (truncatedAtNs < 0) {
      finishAt(endNs);
    }
    StringBuilder sb = new StringBuilder(events.length() + 4096);
    sb.append("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"clock\":\"simulated time, \u00b5s\"");
    if (truncatedAtNs >= 0) {
      sb.append(",\"truncated_at_us\":");
      micros(sb, truncatedAtNs);
    }
    sb.append("},\"traceEvents\":[\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":"
        + "{\"name\":");
    appendJsonString(sb, process);
    sb.append("}}");
    for (Task t : tasks) {
      sb.append(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":").append(t.id() + 1)
          .append(",\"args\":{\"name\":");
      appendJsonString(sb, t.name());
      sb.append("}},\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":")
          .append(t.id() + 1).append(",\"args\":{\"sort_index\":").append(t.id()).append("}}");
    }
    if (events.length() > 0) {
      sb.append(",\n").append(events);
    }
    sb.append("\n]}\n");
    return sb.toString();
  }

  /** {@code ns} as microseconds with three decimals, exactly. */
  static void micros(StringBuilder sb, long ns) {
    sb.append(ns / 1000).append('.');
    long frac = ns % 1000;
    if (frac < 100) {
      sb.append('0');
    }
    if (frac < 10) {
      sb.append('0');
    }
    sb.append(frac);
  }

  /** A JSON string literal. */
  public static void appendJsonString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
