package faultsim.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import faultsim.machine.TimeProfile;
import faultsim.machine.TraceRecorder;
import faultsim.run.Experiment;
import faultsim.run.ReplicationResult;
import faultsim.synthetic.SyntheticRun;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --trace}: Chrome traces of replication 0 and of each violation, read back with
 * Jackson as Perfetto would read them.
 */
final class TraceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path traced(Path dir) throws Exception {
    Workload w = new WorkloadLoader().load(Path.of("..", "workloads", "ext4-punch-vs-faults.yaml"),
        List.of("global.runtime=1ms", "replications=2",
            "designs=[linux_3_15,linux_6_6]"));
    List<ReplicationResult> runs = Experiment.run(w, 1, null, true);
    for (ReplicationResult r : runs) {
      // Only replication 0 is traced; a trace survives the trip to another host unchanged.
      assertThat(r.trace().json().isEmpty()).isEqualTo(r.replication() != 0);
      assertThat(faultsim.run.ResultCodec.decode(faultsim.run.ResultCodec.encode(r)).trace())
          .isEqualTo(r.trace());
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("started", "2026-01-01T00:00:00Z");
    ResultsWriter.write(dir, w, runs, info);
    return dir;
  }

  /**
   * The complete events of each track must nest as calls do: sorted by start (longest first on
   * a tie), each event starts at or after the end of every open event it does not lie inside,
   * and lies wholly inside the one it starts in. Times are in µs with exact nanoseconds.
   */
  static void assertWellNested(JsonNode events, String what) {
    Map<Long, List<long[]>> byTrack = new TreeMap<>();
    Map<Long, Long> lastTs = new java.util.HashMap<>();
    Map<Long, long[]> flows = new TreeMap<>();
    List<long[]> points = new ArrayList<>();
    for (JsonNode e : events) {
      String ph = e.path("ph").asText();
      if (!ph.equals("M")) {
        // Timestamps never go back along a track, in the order the file lists its events.
        long ts = Math.round(e.path("ts").asDouble() * 1000);
        Long before = lastTs.put(e.path("tid").asLong(), ts);
        assertThat(before == null ? ts : before).as(what + " monotonic " + e)
            .isLessThanOrEqualTo(ts);
      }
      if (ph.equals("s") || ph.equals("f")) {
        // [has start, has finish, start ts, finish ts]
        long[] f = flows.computeIfAbsent(e.path("id").asLong(), k -> new long[4]);
        long ts = Math.round(e.path("ts").asDouble() * 1000);
        f[ph.equals("s") ? 0 : 1]++;
        f[ph.equals("s") ? 2 : 3] = ts;
        points.add(new long[] {e.path("tid").asLong(), ts});
      }
      if (ph.equals("X")) {
        long ts = Math.round(e.path("ts").asDouble() * 1000);
        long dur = Math.round(e.path("dur").asDouble() * 1000);
        assertThat(dur).as(what + " " + e).isGreaterThanOrEqualTo(0);
        byTrack.computeIfAbsent(e.path("tid").asLong(), k -> new ArrayList<>())
            .add(new long[] {ts, ts + dur});
      }
    }
    assertThat(byTrack).as(what).isNotEmpty();
    for (Map.Entry<Long, List<long[]>> t : byTrack.entrySet()) {
      List<long[]> spans = t.getValue();
      spans.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(b[1], a[1]));
      List<long[]> open = new ArrayList<>();
      for (long[] s : spans) {
        while (!open.isEmpty() && open.get(open.size() - 1)[1] <= s[0]
            && !(open.get(open.size() - 1)[1] == s[0] && s[1] == s[0]
                && open.get(open.size() - 1)[0] == s[0])) {
          open.remove(open.size() - 1);
        }
        if (!open.isEmpty()) {
          long[] parent = open.get(open.size() - 1);
          assertThat(s[1]).as(what + " track " + t.getKey() + ": [" + s[0] + ", " + s[1]
              + ") inside [" + parent[0] + ", " + parent[1] + ")").isLessThanOrEqualTo(parent[1]);
        }
        open.add(s);
      }
    }
    // Every flow has one start and one finish, not before it, and each end lies in a slice of
    // its own track: the slice it binds to.
    for (Map.Entry<Long, long[]> f : flows.entrySet()) {
      assertThat(new long[] {f.getValue()[0], f.getValue()[1]}).as(what + " flow " + f.getKey())
          .containsExactly(1, 1);
      assertThat(f.getValue()[2]).as(what + " flow " + f.getKey())
          .isLessThanOrEqualTo(f.getValue()[3]);
    }
    for (long[] p : points) {
      assertThat(byTrack.getOrDefault(p[0], List.of()))
          .as(what + " a slice on track " + p[0] + " around " + p[1])
          .anyMatch(s -> s[0] <= p[1] && p[1] <= s[1]);
    }
  }

  @Test
  void traceJson_isValidWellNestedPerTaskAndTheSameBytesTwice(@TempDir Path tmp)
      throws Exception {
    Path a = traced(tmp.resolve("a"));
    Path b = traced(tmp.resolve("b"));

    List<String> files;
    try (Stream<Path> s = Files.list(a.resolve("trace"))) {
      files = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    // Replication 0 of each design, and one file per violation violations.txt lists.
    assertThat(files).contains("linux_3_15.json", "linux_6_6.json");
    long listed = Files.readAllLines(a.resolve("violations.txt")).stream()
        .filter(l -> l.matches("  \\S+ r\\d+ t=\\d+ns.*")).count();
    assertThat(files.stream().filter(f -> f.startsWith("violation-"))).hasSize((int) listed);
    assertThat(listed).isGreaterThan(0);
    for (String f : files) {
      assertThat(Files.readAllBytes(b.resolve("trace").resolve(f))).as(f)
          .isEqualTo(Files.readAllBytes(a.resolve("trace").resolve(f)));
      JsonNode root = JSON.readTree(a.resolve("trace").resolve(f).toFile());
      assertWellNested(root.path("traceEvents"), f);
    }
    JsonNode trace = JSON.readTree(a.resolve("trace/linux_6_6.json").toFile());
    // One named track per task (two readers and the punch), each followed by the locks it held,
    // then one per CPU the machine ran tasks on.
    List<String> names = new ArrayList<>();
    for (JsonNode e : trace.path("traceEvents")) {
      if (e.path("name").asText().equals("thread_name")) {
        names.add(e.path("args").path("name").asText());
      }
    }
    assertThat(names).startsWith("reader/0", "reader/0 locks", "reader/1", "reader/1 locks",
        "punch", "punch locks", "CPU 0");
    // Lock holds by class, and the violations as global instants in the main trace.
    assertThat(trace.path("traceEvents").findValuesAsText("name")).contains("&mm->mmap_lock",
        "&mapping->invalidate_lock");
    JsonNode old = JSON.readTree(a.resolve("trace/linux_3_15.json").toFile());
    List<JsonNode> instants = new ArrayList<>();
    old.path("traceEvents").forEach(e -> {
      if (e.path("ph").asText().equals("i")) {
        instants.add(e);
      }
    });
    assertThat(instants).isNotEmpty().allMatch(e -> e.path("s").asText().equals("g")
        && e.path("name").asText().equals("stale_data")
        && !e.path("args").path("summary").asText().isEmpty());
    // Function spans and lock waits as slices of their own.
    assertThat(trace.path("traceEvents").findValuesAsText("name")).contains("do_user_addr_fault",
        "filemap_fault", "vfs_fallocate", "[wait &mapping->invalidate_lock]");
    assertThat(Files.readString(a.resolve("SHA256SUMS"))).contains("  trace/linux_6_6.json\n");
    JsonNode manifest = JSON.readTree(a.resolve("manifest.json").toFile());
    assertThat(manifest.path("trace").path("replication").asInt()).isZero();
    assertThat(manifest.path("trace").path("truncated").size()).isZero();

    JsonNode v = JSON.readTree(a.resolve("trace/violation-linux_3_15-0.json").toFile());
    assertThat(v.path("otherData").path("violation").asText()).isEqualTo("stale_data");
    assertThat(v.path("traceEvents").findValuesAsText("s")).contains("g", "t");
  }

  private static JsonNode oneLockTrace(TraceRecorder.Window window) throws Exception {
    Workload w = new WorkloadLoader().parse("one-lock.yaml", StacksTest.ONE_LOCK, List.of());
    SyntheticRun run = new SyntheticRun(w.spec(), Experiment.streams(w).forReplication(0));
    TimeProfile profile = new TimeProfile();
    TraceRecorder recorder = new TraceRecorder(64 << 20, window);
    run.machine().setTimeListener(profile);
    recorder.attach(run.machine(), profile);
    run.run();
    return JSON.readTree(
        recorder.finish("one-lock r0", run.machine().tasks(), run.engine().now()));
  }

  /** The events of {@code trace} on the track named {@code track}, of phase {@code ph}. */
  private static List<JsonNode> on(JsonNode trace, String track, String ph) {
    long tid = -1;
    for (JsonNode e : trace.path("traceEvents")) {
      if (e.path("name").asText().equals("thread_name")
          && e.path("args").path("name").asText().equals(track)) {
        tid = e.path("tid").asLong();
      }
    }
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : trace.path("traceEvents")) {
      if (e.path("tid").asLong() == tid && e.path("ph").asText().equals(ph)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Two tasks take turns on one spinlock at zero lock costs: each holds it 10 µs while the other
   * spins, so in 1 ms there are 100 holds of 10 µs, 50 per task, worker/0's starting at 0, 20,
   * 40 µs..., worker/1's at 10, 30, 50 µs... Every hold but the first was waited for and is let
   * in by the other task's release: 99 arrows, each from the last nanosecond of one task's hold
   * to the start of the other's. Each CPU shows its task alternating 10 µs on the lock's
   * critical section ({@code [user]}) and 10 µs spinning: 100 slices per CPU, no gaps.
   */
  @Test
  void holdsFlowsAndCpus_ofTwoTasksTakingTurns_areTheHandCountedOnes() throws Exception {
    JsonNode trace = oneLockTrace(TraceRecorder.Window.ALL);
    assertWellNested(trace.path("traceEvents"), "one-lock");
    for (int task = 0; task < 2; task++) {
      List<JsonNode> holds = on(trace, "worker/" + task + " locks", "X");
      assertThat(holds).hasSize(50);
      for (int k = 0; k < 50; k++) {
        assertThat(holds.get(k).path("name").asText()).isEqualTo("&test->lock");
        assertThat(holds.get(k).path("args").path("mode").asText()).isEqualTo("write");
        assertThat(holds.get(k).path("ts").asDouble()).isEqualTo(20.0 * k + 10 * task);
        assertThat(holds.get(k).path("dur").asDouble()).isEqualTo(10.0);
      }
      // Arrows out of this task's holds (all but the last of the run) and into them (all but
      // the first of the run).
      assertThat(on(trace, "worker/" + task + " locks", "s")).hasSize(task == 0 ? 50 : 49);
      assertThat(on(trace, "worker/" + task + " locks", "f")).hasSize(task == 0 ? 49 : 50);
    }
    JsonNode firstArrow = on(trace, "worker/0 locks", "s").get(0);
    assertThat(firstArrow.path("ts").asDouble()).isEqualTo(9.999);
    JsonNode landing = on(trace, "worker/1 locks", "f").get(0);
    assertThat(landing.path("id")).isEqualTo(firstArrow.path("id"));
    assertThat(landing.path("ts").asDouble()).isEqualTo(10.0);
    for (String cpu : List.of("CPU 0", "CPU 1")) {
      List<JsonNode> ran = on(trace, cpu, "X");
      assertThat(ran).hasSize(100);
      String task = ran.get(0).path("name").asText().split(" ")[0];
      for (int k = 0; k < 100; k++) {
        assertThat(ran.get(k).path("ts").asDouble()).isEqualTo(10.0 * k);
        assertThat(ran.get(k).path("dur").asDouble()).isEqualTo(10.0);
        assertThat(ran.get(k).path("name").asText()).startsWith(task + " ");
      }
      assertThat(ran).extracting(e -> e.path("name").asText().substring(task.length() + 1))
          .containsOnly("[user]", "[spin &test->lock]");
    }
  }

  /**
   * A window keeps exactly the whole run's slices that overlap it, clipped to it, and the arrows
   * with both ends in it: 305..512 µs cuts the holds starting at 300 and 510 µs and keeps the
   * 21 arrows landing at 310, 320, ..., 510 µs (the one landing at 300 µs leaves at 299.999).
   */
  @Test
  void window_keepsTheOverlappingSlicesClipped() throws Exception {
    TraceRecorder.Window win = TraceRecorder.Window.parse("305us..512us");
    JsonNode whole = oneLockTrace(TraceRecorder.Window.ALL);
    JsonNode part = oneLockTrace(win);
    assertWellNested(part.path("traceEvents"), "window");
    List<String> expected = new ArrayList<>();
    for (JsonNode e : whole.path("traceEvents")) {
      if (e.path("ph").asText().equals("X")) {
        long ts = Math.round(e.path("ts").asDouble() * 1000);
        long end = ts + Math.round(e.path("dur").asDouble() * 1000);
        if (end > win.fromNs() && ts < win.toNs()) {
          long s = Math.max(ts, win.fromNs());
          long t = Math.min(end, win.toNs());
          expected.add(e.path("tid").asLong() + " " + e.path("name").asText() + " " + s + " " + t);
        }
      }
    }
    List<String> got = new ArrayList<>();
    long arrows = 0;
    for (JsonNode e : part.path("traceEvents")) {
      if (e.path("ph").asText().equals("X")) {
        long ts = Math.round(e.path("ts").asDouble() * 1000);
        got.add(e.path("tid").asLong() + " " + e.path("name").asText() + " " + ts + " "
            + (ts + Math.round(e.path("dur").asDouble() * 1000)));
      }
      arrows += e.path("ph").asText().equals("f") ? 1 : 0;
    }
    assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(arrows).isEqualTo(21);
    assertThat(part.path("otherData").path("window_from_us").asDouble()).isEqualTo(305.0);
    assertThat(part.path("otherData").path("window_to_us").asDouble()).isEqualTo(512.0);
  }

  /** Windows are FROM..TO with units; either end may be left out; bad ones say what is wrong. */
  @Test
  void windowParse_acceptsOpenEndsAndRejectsBadOnes() {
    assertThat(TraceRecorder.Window.parse("1ms..2ms"))
        .isEqualTo(new TraceRecorder.Window(1_000_000, 2_000_000));
    assertThat(TraceRecorder.Window.parse("..5us"))
        .isEqualTo(new TraceRecorder.Window(0, 5_000));
    assertThat(TraceRecorder.Window.parse("3us.."))
        .isEqualTo(new TraceRecorder.Window(3_000, Long.MAX_VALUE));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TraceRecorder.Window.parse("2ms..1ms"))
        .hasMessageContaining("must come after");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TraceRecorder.Window.parse("1ms"))
        .hasMessageContaining("FROM..TO");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TraceRecorder.Window.parse("1..2ms"))
        .hasMessageContaining("unit");
  }

  /**
   * With a limit of 2000 bytes of events the trace of a synthetic run stops early: the manifest
   * of a run would say when; the JSON stays valid and nested, with its open slices closed at that
   * time and nothing after it.
   */
  @Test
  void traceRecorder_overItsLimit_stopsAndSaysWhen() throws Exception {
    Workload w = new WorkloadLoader().parse("one-lock.yaml", StacksTest.ONE_LOCK, List.of());
    SyntheticRun run = new SyntheticRun(w.spec(), Experiment.streams(w).forReplication(0));
    TimeProfile profile = new TimeProfile();
    TraceRecorder recorder = new TraceRecorder(2000);
    profile.setObserver(recorder);
    run.machine().setTimeListener(profile);
    run.run();

    String json = recorder.finish("one-lock r0", run.machine().tasks(), run.engine().now());

    long at = recorder.truncatedAtNs();
    assertThat(at).isPositive().isLessThan(1_000_000);
    JsonNode root = JSON.readTree(json);
    assertThat(root.path("otherData").path("truncated_at_us").asDouble() * 1000)
        .isEqualTo((double) at);
    assertWellNested(root.path("traceEvents"), "truncated");
    for (JsonNode e : root.path("traceEvents")) {
      if (e.path("ph").asText().equals("X")) {
        assertThat(Math.round((e.path("ts").asDouble() + e.path("dur").asDouble()) * 1000))
            .isLessThanOrEqualTo(at);
      }
    }
    assertThat(json.length()).isLessThan(4000);
  }
}
