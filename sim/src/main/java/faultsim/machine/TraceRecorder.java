package faultsim.machine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run as a Chrome trace (the Trace Event Format that Perfetto UI and {@code chrome://tracing}
 * open). Four kinds of track:
 *
 * <ul>
 *   <li>one per task, with a complete event ({@code "ph":"X"}) for every stretch the task spent
 *       in a design function, a primitive, or waiting (a lock wait is a slice of its own,
 *       {@code [wait &mapping->invalidate_lock]}, inside the call that waited), built from the
 *       {@link TimeProfile}'s charges: when a task's stack changes, the frames it left end and
 *       the frames it entered begin, so slices nest as the calls did;
 *   <li>beside it, the locks that task held ({@code <task> locks}): a slice per hold from the
 *       acquisition to the release, named by the lock's class ({@code &mm->mmap_lock}, mode in
 *       its args). Holds released out of order are cut where an inner hold outlives the outer
 *       one and go on as a new slice, so the track stays nested;
 *   <li>one per simulated CPU ({@code CPU n}): which task ran or spun there and where, a slice
 *       per stretch named {@code <task> <frame>} ({@code reader/0 filemap_fault},
 *       {@code writer [spin &ptl]});
 *   <li>flow arrows ({@code "s"} then {@code "f"}, one id each) from the hold whose release let a
 *       waiter in to the waiter's hold, and each violation as a global instant event
 *       ({@code "ph":"i","s":"g"}) at its time with its summary.
 * </ul>
 *
 * <p>Only what overlaps the recorder's {@link Window} is written, clipped to it. Timestamps and
 * durations are in microseconds of simulated time, written with three decimals (exact
 * nanoseconds). Events are written track by track, each track's in time order (longer first,
 * then outer first, on a tie), so the output is the same bytes for the same run.
 *
 * <p>The trace stops growing at {@code maxBytes} of events; what was open then is closed at
 * that time and {@link #truncatedAtNs} says when.
 */
public final class TraceRecorder implements TimeProfile.Observer, Machine.HoldListener {
  /** The simulated time a trace covers: {@code [fromNs, toNs]}. */
  public record Window(long fromNs, long toNs) {
    /** The whole run. */
    public static final Window ALL = new Window(0, Long.MAX_VALUE);

    public Window {
      if (fromNs < 0 || toNs <= fromNs) {
        throw new IllegalArgumentException("a trace window needs 0 <= FROM < TO");
      }
    }

    /**
     * Parses {@code FROM..TO} (times with units, {@code 1ms..2ms}; either end may be left out:
     * {@code ..5ms}, {@code 1ms..}).
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static Window parse(String text) {
      int dots = text.indexOf("..");
      if (dots < 0 || text.indexOf("..", dots + 2) >= 0) {
        throw new IllegalArgumentException(
            "expected a window FROM..TO of simulated time such as 1ms..2ms, got '" + text + "'");
      }
      String a = text.substring(0, dots).strip();
      String b = text.substring(dots + 2).strip();
      long from = a.isEmpty() ? 0 : faultsim.workload.Units.parseTime(a);
      long to = b.isEmpty() ? Long.MAX_VALUE : faultsim.workload.Units.parseTime(b);
      if (to <= from) {
        throw new IllegalArgumentException("the window's end " + b
            + " must come after its start " + (a.isEmpty() ? "0" : a));
      }
      return new Window(from, to);
    }

    boolean whole() {
      return fromNs == 0 && toNs == Long.MAX_VALUE;
    }
  }

  // Track ids: a task's own track, the locks it holds, then the CPUs, each after the last.
  private static final int HOLDS = 1 << 20;
  private static final int CPUS = 2 << 20;
  // Sort depth of flow and instant events, after every slice starting at the same time.
  private static final int POINT = Integer.MAX_VALUE;

  private final long maxBytes;
  private final Window window;
  private final List<Event> events = new ArrayList<>(1 << 12);
  private long bytes;
  private final List<Track> tracks = new ArrayList<>();
  private final List<Holds> holds = new ArrayList<>();
  private final List<CoreSlice> cores = new ArrayList<>();
  private final Map<LockInstance, Release> lastRelease = new IdentityHashMap<>();
  private long nextFlowId = 1;
  private long truncatedAtNs = -1;

  /** One event to write. */
  private record Event(int tid, char ph, String name, long ts, long dur, int depth, long id,
      String args) {}

  private static final Comparator<Event> ORDER = Comparator.comparingInt(Event::tid)
      .thenComparingLong(Event::ts).thenComparing(Comparator.comparingLong(Event::dur).reversed())
      .thenComparingInt(Event::depth);

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

  /** The locks one task holds, in the order taken, each with when its current slice began. */
  private static final class Holds {
    final Task task;
    final List<Hold> open = new ArrayList<>(4);

    Holds(Task task) {
      this.task = task;
    }
  }

  private static final class Hold {
    final LockInstance lock;
    final boolean write;
    long since;
    /** The release that let this hold in, if it was waited for: its track and time, or -1. */
    int fromTid;
    long fromNs = -1;

    Hold(LockInstance lock, boolean write, long since) {
      this.lock = lock;
      this.write = write;
      this.since = since;
    }
  }

  /** The last release of a lock: by whom, and the slice of the hold it ended. */
  private record Release(Task task, long sliceStartNs, long atNs) {}

  /** What one CPU is running now, merged while the same task stays in the same frame. */
  private static final class CoreSlice {
    Task task;
    TimeProfile.Node node;
    long start;
    long end;
  }

  /** A recorder of the whole run. */
  public TraceRecorder(long maxBytes) {
    this(maxBytes, Window.ALL);
  }

  public TraceRecorder(long maxBytes, Window window) {
    this.maxBytes = maxBytes;
    this.window = window;
  }

  /** Records the task tracks, lock holds and CPUs of {@code m}. */
  public void attach(Machine m, TimeProfile profile) {
    profile.setObserver(this);
    m.setHoldListener(this);
  }

  private final TimeProfile.Node[] path = new TimeProfile.Node[64];

  @Override
  public void charged(Task t, Task.State state, TimeProfile.Node node, long startNs, long ns) {
    if (truncatedAtNs >= 0) {
      return;
    }
    if (startNs >= window.toNs) {
      return;
    }
    Track track = track(t);
    // The path below the job's root (which the task's track itself stands for), outermost
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
    if (state == Task.State.RUNNING || state == Task.State.BUSY
        || state == Task.State.SPINNING) {
      onCore(t, n > 0 ? p[n - 1] : node, startNs, startNs + ns);
    }
    checkSize(startNs + ns);
  }

  /** {@code t} ran (or spun) in {@code node} on its core from {@code start} to {@code end}. */
  private void onCore(Task t, TimeProfile.Node node, long start, long end) {
    int c = t.lastCoreId();
    while (cores.size() <= c) {
      cores.add(new CoreSlice());
    }
    CoreSlice s = cores.get(c);
    if (s.task == t && s.node == node && s.end == start) {
      s.end = end;
      return;
    }
    flushCore(c, s);
    s.task = t;
    s.node = node;
    s.start = start;
    s.end = end;
  }

  private void flushCore(int c, CoreSlice s) {
    if (s.task != null) {
      String frame = s.node.frame();
      slice(CPUS + c, s.task.name() + " " + (frame == null ? "[user]" : frame), s.start, s.end,
          0, null);
      s.task = null;
    }
  }

  private void checkSize(long atNs) {
    if (bytes > maxBytes && truncatedAtNs < 0) {
      truncatedAtNs = atNs;
      finishAt(truncatedAtNs);
    }
  }

  @Override
  public void holdStarted(Task t, LockInstance lock, boolean write, long atNs, boolean waited) {
    if (truncatedAtNs >= 0) {
      return;
    }
    Holds h = holds(t);
    Hold hold = new Hold(lock, write, atNs);
    h.open.add(hold);
    Release r = waited ? lastRelease.get(lock) : null;
    if (r != null && r.task != t) {
      // The arrow leaves the last nanosecond of the releaser's hold and lands where the
      // waiter's hold begins: both points lie inside the slice they bind to. It is drawn with
      // the hold's first slice, if that is written.
      hold.fromTid = HOLDS + r.task.id() + 1;
      hold.fromNs = Math.max(r.sliceStartNs, r.atNs - 1);
    }
  }

  @Override
  public void holdEnded(Task t, LockInstance lock, boolean write, long atNs) {
    if (truncatedAtNs >= 0) {
      return;
    }
    Holds h = holds(t);
    int i = h.open.size() - 1;
    while (i >= 0 && (h.open.get(i).lock != lock || h.open.get(i).write != write)) {
      i--;
    }
    if (i < 0) {
      return;
    }
    // Holds taken after this one and still held: cut here, and go on from here.
    for (int k = h.open.size() - 1; k > i; k--) {
      Hold o = h.open.get(k);
      holdSlice(t, k, o, atNs);
      o.since = Math.max(o.since, atNs);
    }
    Hold gone = h.open.remove(i);
    holdSlice(t, i, gone, atNs);
    if (gone.since < atNs) {
      lastRelease.put(lock, new Release(t, gone.since, atNs));
    } else {
      lastRelease.remove(lock);
    }
    checkSize(atNs);
  }

  private void holdSlice(Task t, int depth, Hold o, long endNs) {
    if (endNs > o.since) {
      slice(HOLDS + t.id() + 1, o.lock.className(), o.since, endNs, depth,
          o.write ? "{\"mode\":\"write\"}" : "{\"mode\":\"read\"}");
      if (o.fromNs >= 0 && inWindow(o.fromNs) && inWindow(o.since) && o.since < window.toNs) {
        long id = nextFlowId++;
        String name = o.lock.className();
        add(new Event(o.fromTid, 's', name, o.fromNs, 0, POINT, id, null));
        add(new Event(HOLDS + t.id() + 1, 'f', name, o.since, 0, POINT, id, null));
      }
      o.fromNs = -1;
    }
  }

  /** A violation found at {@code atNs}: a global instant event with its summary. */
  public void violation(long atNs, String kind, String summary) {
    if (inWindow(atNs) && (truncatedAtNs < 0 || atNs <= truncatedAtNs)) {
      StringBuilder args = new StringBuilder("{\"summary\":");
      appendJsonString(args, summary);
      args.append('}');
      add(new Event(0, 'i', kind, atNs, 0, POINT, 0, args.toString()));
    }
  }

  private boolean inWindow(long ns) {
    return ns >= window.fromNs && ns <= window.toNs;
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

  private Holds holds(Task t) {
    int id = t.id();
    while (holds.size() <= id) {
      holds.add(null);
    }
    Holds h = holds.get(id);
    if (h == null) {
      h = new Holds(t);
      holds.set(id, h);
    }
    return h;
  }

  /** Ends the frames of {@code track} above {@code keep} at {@code atNs}, innermost first. */
  private void close(Track track, int keep, long atNs) {
    for (int k = track.depth - 1; k >= keep; k--) {
      slice(track.task.id() + 1, track.open[k].frame(), track.since[k], atNs, k, null);
      track.open[k] = null;
    }
    track.depth = Math.min(track.depth, keep);
  }

  /** A slice from {@code start} to {@code end}, if it overlaps the window: clipped to it. */
  private void slice(int tid, String name, long start, long end, int depth, String args) {
    if (end < window.fromNs || start > window.toNs
        || (end == window.fromNs && start < end) || (start == window.toNs && end > start)) {
      return;
    }
    long s = Math.max(start, window.fromNs);
    long e = Math.min(end, window.toNs);
    add(new Event(tid, 'X', name, s, e - s, depth, 0, args));
  }

  private void add(Event e) {
    events.add(e);
    bytes += 72 + e.name().length() + (e.args() == null ? 0 : e.args().length());
  }

  private void finishAt(long atNs) {
    for (Track tr : tracks) {
      if (tr != null) {
        close(tr, 0, atNs);
      }
    }
    for (Holds h : holds) {
      if (h != null) {
        for (int k = h.open.size() - 1; k >= 0; k--) {
          holdSlice(h.task, k, h.open.get(k), Math.max(atNs, h.open.get(k).since));
        }
        h.open.clear();
      }
    }
    for (int c = 0; c < cores.size(); c++) {
      flushCore(c, cores.get(c));
    }
  }

  /** When the trace stopped growing, or -1 if it holds the whole run. */
  public long truncatedAtNs() {
    return truncatedAtNs;
  }

  /**
   * The trace as JSON, every open frame closed at {@code endNs}: a process named
   * {@code process}, a named track per task (in the order tasks were made) with the track of
   * its held locks after it, a track per CPU that ran anything, then the events.
   */
  public String finish(String process, List<Task> tasks, long endNs) {
    if (truncatedAtNs < 0) {
      finishAt(endNs);
    }
    StringBuilder sb = new StringBuilder((int) Math.min(Integer.MAX_VALUE / 2, bytes + 4096));
    sb.append("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"clock\":\"simulated time, \u00b5s\"");
    if (!window.whole()) {
      sb.append(",\"window_from_us\":");
      micros(sb, window.fromNs);
      if (window.toNs != Long.MAX_VALUE) {
        sb.append(",\"window_to_us\":");
        micros(sb, window.toNs);
      }
    }
    if (truncatedAtNs >= 0) {
      sb.append(",\"truncated_at_us\":");
      micros(sb, truncatedAtNs);
    }
    sb.append("},\"traceEvents\":[\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":"
        + "{\"name\":");
    appendJsonString(sb, process);
    sb.append("}}");
    for (Task t : tasks) {
      thread(sb, t.id() + 1, t.name(), 2 * t.id());
      thread(sb, HOLDS + t.id() + 1, t.name() + " locks", 2 * t.id() + 1);
    }
    for (int c = 0; c < cores.size(); c++) {
      thread(sb, CPUS + c, "CPU " + c, 2 * tasks.size() + c);
    }
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(ORDER);
    for (Event e : sorted) {
      sb.append(",\n{\"name\":");
      appendJsonString(sb, e.name());
      sb.append(",\"ph\":\"").append(e.ph()).append("\",\"pid\":1,\"tid\":").append(e.tid())
          .append(",\"ts\":");
      micros(sb, e.ts());
      switch (e.ph()) {
        case 'X' -> {
          sb.append(",\"dur\":");
          micros(sb, e.dur());
        }
        case 's' -> sb.append(",\"cat\":\"lock\",\"id\":").append(e.id());
        case 'f' -> sb.append(",\"cat\":\"lock\",\"id\":").append(e.id())
            .append(",\"bp\":\"e\"");
        case 'i' -> sb.append(",\"s\":\"g\"");
        default -> throw new IllegalStateException("event " + e.ph());
      }
      if (e.args() != null) {
        sb.append(",\"args\":").append(e.args());
      }
      sb.append('}');
    }
    sb.append("\n]}\n");
    return sb.toString();
  }

  private static void thread(StringBuilder sb, int tid, String name, int sortIndex) {
    sb.append(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":").append(tid)
        .append(",\"args\":{\"name\":");
    appendJsonString(sb, name);
    sb.append("}},\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":").append(tid)
        .append(",\"args\":{\"sort_index\":").append(sortIndex).append("}}");
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
