package faultsim.results;

import faultsim.oracle.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A violation's interleaving (the steps {@code violations.txt} lists under it) as a small Chrome
 * trace: a track per task involved, an instant event per step (a function entered, a primitive
 * called, the oracle's notes), a slice per design function from its entry until a later step of
 * that task is at its depth or above (or until the violation), the functions each task was in
 * when the listing starts as slices from there, and the violation itself as a global instant.
 * The listing indents at most eight levels, so deeper calls nest as if at depth eight. Events are
 * written track by track, each track's in time order (outer slices first on a tie, then the
 * instants in the order the listing gives them).
 */
final class ViolationTrace {
  private ViolationTrace() {}

  private static final Pattern WHERE = Pattern.compile("^    \\[([^\\]]+)\\] in (.*)$");
  private static final Pattern STEP =
      Pattern.compile("^    \\[([^\\]]+)\\] +(\\d+)\\.(\\d{3})us  (.*)$");

  /** What is open on one task's track. */
  private static final class Track {
    final int tid;
    final List<String> names = new ArrayList<>();
    final List<Integer> depths = new ArrayList<>();
    final List<Long> since = new ArrayList<>();

    Track(int tid) {
      this.tid = tid;
    }
  }

  /** One event to write: its track, time, and its JSON text. */
  private record Event(int tid, long ts, long dur, int depth, int seq, String json) {}

  private static final java.util.Comparator<Event> ORDER = java.util.Comparator
      .comparingInt(Event::tid).thenComparingLong(Event::ts)
      .thenComparing(java.util.Comparator.comparingLong(Event::dur).reversed())
      .thenComparingInt(Event::depth).thenComparingInt(Event::seq);

  /** The trace of {@code v} found in replication {@code replication} of {@code design}. */
  static String of(String design, int replication, Violation v) {
    Map<String, Track> tracks = new LinkedHashMap<>();
    Map<String, List<String>> where = new LinkedHashMap<>();
    List<String[]> steps = new ArrayList<>();
    long first = v.timeNs();
    for (String line : v.timeline().split("\n")) {
      Matcher m = WHERE.matcher(line);
      if (m.matches()) {
        where.put(m.group(1), List.of(m.group(2).split(" > ")));
        continue;
      }
      m = STEP.matcher(line);
      if (m.matches()) {
        long ns = Long.parseLong(m.group(2)) * 1000 + Long.parseLong(m.group(3));
        first = Math.min(first, ns);
        steps.add(new String[] {m.group(1), Long.toString(ns), m.group(4)});
      }
    }
    List<Event> events = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : where.entrySet()) {
      Track t = track(tracks, e.getKey());
      for (int d = 0; d < e.getValue().size(); d++) {
        t.names.add(e.getValue().get(d));
        t.depths.add(d);
        t.since.add(first);
      }
    }
    for (String[] s : steps) {
      Track t = track(tracks, s[0]);
      long ns = Long.parseLong(s[1]);
      String text = s[2];
      int indent = 0;
      while (indent < text.length() && text.charAt(indent) == ' ') {
        indent++;
      }
      int depth = indent / 2;
      String step = text.strip();
      if (!step.startsWith("#")) {
        close(events, t, depth, ns);
      }
      instant(events, t.tid, step, ns, "t");
      if (!step.startsWith("#") && step.indexOf('(') < 0) {
        t.names.add(step);
        t.depths.add(depth);
        t.since.add(ns);
      }
    }
    for (Track t : tracks.values()) {
      close(events, t, 0, Math.max(v.timeNs(), t.since.isEmpty() ? 0 : t.since.get(
          t.since.size() - 1)));
    }
    instant(events, 0, v.kind() + ": " + v.summary(), v.timeNs(), "g");
    StringBuilder sb = new StringBuilder();
    sb.append("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"clock\":\"simulated time, \u00b5s\","
        + "\"violation\":");
    json(sb, v.kind());
    sb.append(",\"summary\":");
    json(sb, v.summary());
    sb.append("},\"traceEvents\":[\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,"
        + "\"args\":{\"name\":");
    json(sb, design + " r" + replication + " " + v.kind() + " at " + micros(v.timeNs()) + " us");
    sb.append("}}");
    for (Map.Entry<String, Track> e : tracks.entrySet()) {
      sb.append(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":")
          .append(e.getValue().tid).append(",\"args\":{\"name\":");
      json(sb, e.getKey());
      sb.append("}}");
    }
    events.sort(ORDER);
    for (Event e : events) {
      sb.append(",\n").append(e.json());
    }
    sb.append("\n]}\n");
    return sb.toString();
  }

  private static Track track(Map<String, Track> tracks, String task) {
    return tracks.computeIfAbsent(task, k -> new Track(tracks.size() + 1));
  }

  /** Ends the slices of {@code t} at {@code depth} or deeper at {@code ns}, innermost first. */
  private static void close(List<Event> events, Track t, int depth, long ns) {
    for (int i = t.names.size() - 1; i >= 0 && t.depths.get(i) >= depth; i--) {
      long start = t.since.get(i);
      StringBuilder e = new StringBuilder("{\"name\":");
      json(e, t.names.get(i));
      e.append(",\"ph\":\"X\",\"pid\":1,\"tid\":").append(t.tid).append(",\"ts\":")
          .append(micros(start)).append(",\"dur\":").append(micros(ns - start)).append('}');
      events.add(new Event(t.tid, start, ns - start, t.depths.get(i), events.size(),
          e.toString()));
      t.names.remove(i);
      t.depths.remove(i);
      t.since.remove(i);
    }
  }

  private static void instant(List<Event> events, int tid, String name, long ns,
      String scope) {
    StringBuilder e = new StringBuilder("{\"name\":");
    json(e, name);
    e.append(",\"ph\":\"i\",\"s\":\"").append(scope).append("\",\"pid\":1");
    if (tid > 0) {
      e.append(",\"tid\":").append(tid);
    }
    e.append(",\"ts\":").append(micros(ns)).append('}');
    events.add(new Event(tid, ns, -1, Integer.MAX_VALUE, events.size(), e.toString()));
  }

  static String micros(long ns) {
    return String.format(Locale.ROOT, "%d.%03d", ns / 1000, ns % 1000);
  }

  static void json(StringBuilder sb, String s) {
    faultsim.machine.TraceRecorder.appendJsonString(sb, s);
  }
}
