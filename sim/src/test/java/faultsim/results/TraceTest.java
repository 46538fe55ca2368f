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
    for (JsonNode e : events) {
      if (e.path("ph").asText().equals("X")) {
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
    // One named track per task: two readers and the punch.
    List<String> names = new ArrayList<>();
    for (JsonNode e : trace.path("traceEvents")) {
      if (e.path("name").asText().equals("thread_name")) {
        names.add(e.path("args").path("name").asText());
      }
    }
    assertThat(names).containsExactly("reader/0", "reader/1", "punch");
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
