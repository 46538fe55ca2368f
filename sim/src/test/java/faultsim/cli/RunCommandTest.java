package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code faultsim run} end to end: determinism, the results files, every example workload. */
final class RunCommandTest {
  static final Path WORKLOADS = Path.of("..", "workloads");

  static int run(PrintWriter out, PrintWriter err, String... args) {
    return Main.execute(args, out, err);
  }

  static int run(String... args) {
    StringWriter err = new StringWriter();
    int status = Main.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(err.toString()).as("stderr").isEmpty();
    return status;
  }

  @Test
  void run_sameSeedDifferentThreadCounts_giveByteIdenticalResults(@TempDir Path dir)
      throws IOException {
    Path workload = WORKLOADS.resolve("mmap-lock-convoy.yaml");
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    String[] common = {"--set", "global.runtime=4ms", "--set", "global.ramp_time=1ms",
        "--replications", "4"};

    assertThat(run(concat(new String[] {"run", workload.toString(), "--out", a.toString(),
        "--threads", "1"}, common))).isZero();
    assertThat(run(concat(new String[] {"run", workload.toString(), "--out", b.toString(),
        "--threads", "2"}, common))).isZero();

    List<String> files = relativeFiles(a);
    assertThat(files).contains("summary.csv", "locks.csv", "lock_stat/synthetic.txt",
        "hlog/synthetic/fault.fault.hgrm", "hlog/synthetic/fault.fault.hlog", "manifest.json",
        "violations.txt");
    assertSameFilesButManifest(a, b);
  }

  /**
   * The same for a workload with fault and punch jobs through four designs: every file but the
   * manifest (wall-clock fields) is byte-identical, violations and their interleavings included.
   */
  @Test
  void run_kernelWorkload_sameSeedDifferentThreadCounts_giveByteIdenticalResults(
      @TempDir Path dir) throws IOException {
    Path workload = WORKLOADS.resolve("ext4-punch-vs-faults.yaml");
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    String[] common = {"--replications", "3"};
    assertThat(run(concat(new String[] {"run", workload.toString(), "--out", a.toString(),
        "--threads", "1"}, common))).isZero();
    assertThat(run(concat(new String[] {"run", workload.toString(), "--out", b.toString(),
        "--threads", "2"}, common))).isZero();
    List<String> files = relativeFiles(a);
    assertThat(files).contains("summary.csv", "lock_stat/linux_3_15.txt", "violations.txt",
        "index.html");
    assertThat(Files.readString(a.resolve("violations.txt"))).contains("stale_data");
    assertSameFilesButManifest(a, b);
  }

  /**
   * {@code --trace FROM..TO} traces only that window (the file says so and no slice lies outside
   * it); a bare {@code --trace} before the file still reads the file as the workload; a window
   * that is not one, ends before it starts, or starts after the run (2 ms here) is bad input:
   * exit 2, the message naming the option, no results directory.
   */
  @Test
  void runTrace_windowIsKeptAndBadWindowsAreExit2(@TempDir Path dir) throws IOException {
    Path w = WORKLOADS.resolve("mmap-lock-convoy.yaml");
    String[] small = {"--set", "global.runtime=1ms", "--set", "global.ramp_time=1ms",
        "--replications", "1"};
    assertThat(run(concat(new String[] {"run", "--trace", "1200us..1300us", w.toString(),
        "--out", dir.resolve("win").toString()}, small))).isZero();
    String json = Files.readString(dir.resolve("win/trace/synthetic.json"));
    assertThat(json).contains("\"window_from_us\":1200.000,\"window_to_us\":1300.000");
    var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    int slices = 0;
    for (var e : root.path("traceEvents")) {
      if (e.path("ph").asText().equals("X")) {
        slices++;
        assertThat(e.path("ts").asDouble()).isBetween(1200.0, 1300.0);
        assertThat(e.path("ts").asDouble() + e.path("dur").asDouble()).isBetween(1200.0, 1300.0);
      }
    }
    assertThat(slices).isPositive();
    assertThat(run(concat(new String[] {"run", "--trace", w.toString(), "--out",
        dir.resolve("all").toString()}, small))).isZero();
    assertThat(dir.resolve("all/trace/synthetic.json")).exists();
    for (String bad : List.of("2ms..1ms", "1..2ms", "5ms..6ms")) {
      StringWriter err = new StringWriter();
      Path out = dir.resolve("bad");
      int status = run(new PrintWriter(new StringWriter()), new PrintWriter(err),
          concat(new String[] {"run", w.toString(), "--trace", bad, "--out", out.toString()},
              small));
      assertThat(status).as(bad).isEqualTo(2);
      assertThat(err.toString()).as(bad).contains("--trace " + bad).doesNotContain("Exception");
      assertThat(out).doesNotExist();
    }
  }

  @Test
  void run_differentSeed_changesSummary(@TempDir Path dir) throws IOException {
    Path workload = WORKLOADS.resolve("mmap-lock-convoy.yaml");
    String[] common = {"--set", "global.runtime=2ms", "--replications", "2"};
    assertThat(run(concat(new String[] {"run", workload.toString(), "--out",
        dir.resolve("a").toString(), "--seed", "1"}, common))).isZero();
    assertThat(run(concat(new String[] {"run", workload.toString(), "--out",
        dir.resolve("b").toString(), "--seed", "2"}, common))).isZero();
    assertThat(Files.readString(dir.resolve("b/summary.csv")))
        .isNotEqualTo(Files.readString(dir.resolve("a/summary.csv")));
  }

  @Test
  void hlog_isReadableByHistogramLogReader_andCountsMatchSummary(@TempDir Path dir)
      throws IOException {
    Path out = dir.resolve("r");
    assertThat(run("run", WORKLOADS.resolve("mmap-lock-convoy.yaml").toString(), "--out",
        out.toString(), "--set", "global.runtime=5ms", "--replications", "2")).isZero();

    // The log holds one interval per simulated millisecond (5 per replication, 10 in all); the
    // sum of their counts is every fault measured, i.e. operations mean x replications.
    long total = 0;
    int intervals = 0;
    List<String> tags = new ArrayList<>();
    try (HistogramLogReader reader = new HistogramLogReader(
        out.resolve("hlog/synthetic/fault.fault.hlog").toString())) {
      EncodableHistogram h;
      while ((h = reader.nextIntervalHistogram()) != null) {
        total += ((Histogram) h).getTotalCount();
        intervals++;
        tags.add(h.getTag());
      }
    }
    assertThat(intervals).isEqualTo(10);
    assertThat(tags).containsOnly("synthetic/fault/fault/r0", "synthetic/fault/fault/r1");
    String ops = Files.readAllLines(out.resolve("summary.csv")).stream()
        .filter(l -> l.startsWith("synthetic,fault,operations,")).findFirst().orElseThrow();
    double mean = Double.parseDouble(ops.split(",")[3]);
    assertThat((double) total).isEqualTo(mean * 2);
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> s = Files.list(WORKLOADS)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void example_startsWithQuestion_validatesAndRuns(Path example, @TempDir Path dir)
      throws IOException {
    String text = Files.readString(example, StandardCharsets.UTF_8);
    assertThat(text).as("header comment").startsWith("# ");
    assertThat(text.lines().findFirst().orElseThrow()).as("the question").endsWith("?");
    assertThat(run("validate", example.toString())).isZero();
    assertThat(run("run", example.toString(), "--out", dir.resolve("r").toString(),
        "--set", "global.runtime=2ms", "--set", "global.ramp_time=0ns", "--replications", "2"))
        .isZero();
    assertThat(dir.resolve("r/summary.csv")).exists();
  }

  @Test
  void readme_referenceListsEveryWorkloadKey() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    for (faultsim.workload.Options.Option o : faultsim.workload.Options.all()) {
      assertThat(readme).as("README mentions " + o.key()).contains(o.key() + " ");
    }
  }

  @Test
  void options_printsEveryKey() {
    StringWriter out = new StringWriter();
    assertThat(run(new PrintWriter(out), new PrintWriter(new StringWriter()), "options")).isZero();
    assertThat(out.toString()).contains("machine.costs.transfer_cross_socket",
        "jobs.<name>.steps", "global.ramp_time", "locks.<name>.class");
  }

  /**
   * The lines of a results directory's {@code SHA256SUMS} but manifest.json's, whose wall-clock
   * fields differ from run to run.
   */
  /**
   * Designs compiled to bytecode (the default) and interpreted ({@code --interpret}, before the
   * command or after it) give byte-identical results for a workload with fault and punch jobs
   * through four designs: every file but the manifest, violations and their interleavings,
   * lock_stat's call sites and the Chrome traces of replication 0 (each design function's
   * entries and exits, nested as called) included. The option holds for its command line only.
   */
  @Test
  void run_interpret_givesByteIdenticalResults(@TempDir Path dir) throws IOException {
    Path workload = WORKLOADS.resolve("ext4-punch-vs-faults.yaml");
    Path compiled = dir.resolve("compiled");
    Path interpreted = dir.resolve("interpreted");
    Path after = dir.resolve("after");
    assertThat(run("run", workload.toString(), "--out", compiled.toString(), "--replications",
        "2", "--trace")).isZero();
    assertThat(run("--interpret", "run", workload.toString(), "--out", interpreted.toString(),
        "--replications", "2", "--trace")).isZero();
    assertThat(System.getProperty(faultsim.lang.RunEnv.INTERPRET_PROPERTY)).isNull();
    assertThat(run("run", workload.toString(), "--out", after.toString(), "--replications", "2",
        "--trace", "--interpret")).isZero();
    assertThat(relativeFiles(compiled)).contains("violations.txt", "trace/linux_3_15.json",
        "lock_stat/linux_3_15.txt");
    assertThat(Files.readString(compiled.resolve("violations.txt"))).contains("stale_data");
    assertSameFilesButManifest(compiled, interpreted);
    assertSameFilesButManifest(compiled, after);
  }

  /** {@code b} has the files of {@code a}, each byte-identical but the manifest. */
  private static void assertSameFilesButManifest(Path a, Path b) throws IOException {
    List<String> files = relativeFiles(a);
    assertThat(relativeFiles(b)).isEqualTo(files);
    for (String f : files) {
      if (f.equals("SHA256SUMS")) {
        assertThat(sumsButManifest(b.resolve(f))).isEqualTo(sumsButManifest(a.resolve(f)));
      } else if (!f.equals("manifest.json")) {
        assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
      }
    }
  }

  private static List<String> sumsButManifest(Path sums) throws IOException {
    return Files.readAllLines(sums).stream().filter(l -> !l.endsWith("manifest.json")).toList();
  }

  private static List<String> relativeFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted().toList();
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
