package faultsim.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.results.ResultsWriter;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A result that went through {@link ResultCodec} writes the same files as the original, and a run
 * parsed from the workload text (as a worker does) gives the same bytes as one run from the
 * workload already loaded.
 */
final class ResultCodecTest {
  static final Path WORKLOAD = Path.of("..", "workloads", "one-lock-mva.yaml");
  static final List<String> SETS = List.of("global.runtime=5ms", "machine.cores=4",
      "jobs.worker.numjobs=4", "replications=2");

  @Test
  void decodedResults_writeTheSameFiles(@TempDir Path dir) throws Exception {
    Workload w = new WorkloadLoader().load(WORKLOAD, SETS);
    String hash = RunKey.workloadHash(w.sourceText());
    List<ReplicationResult> original = List.of(
        RunTask.of(w, hash, SETS, Workload.SYNTHETIC, 0).run(),
        RunTask.of(w, hash, SETS, Workload.SYNTHETIC, 1).run());
    List<ReplicationResult> decoded = original.stream()
        .map(r -> ResultCodec.decode(ResultCodec.encode(r))).toList();

    assertThat(original.get(0).jobs().get(0).intervals()).isNotEmpty();
    for (int i = 0; i < original.size(); i++) {
      assertThat(ResultCodec.encode(decoded.get(i))).isEqualTo(ResultCodec.encode(original.get(i)));
    }
    ResultsWriter.write(dir.resolve("a"), w, original, Map.of());
    ResultsWriter.write(dir.resolve("b"), w, decoded, Map.of());
    List<Path> files = files(dir.resolve("a"));
    assertThat(files).hasSizeGreaterThan(5).isEqualTo(files(dir.resolve("b")));
    for (Path f : files) {
      if (!f.toString().equals("manifest.json") && !f.toString().equals("SHA256SUMS")) {
        assertThat(Files.mismatch(dir.resolve("a").resolve(f), dir.resolve("b").resolve(f)))
            .as(f.toString()).isEqualTo(-1L);
      }
    }
  }

  /**
   * A fault job's page metrics go through the codec in order: the fault-around example's
   * in-order job touches each of its 16384 pages once, so pages_touched is 16384, then
   * page_throughput, then elapsed (it has fixed work).
   */
  @Test
  void faultJobMetrics_surviveTheCodec() throws Exception {
    List<String> sets = List.of("replications=1");
    Workload w = new WorkloadLoader().load(
        Path.of("..", "workloads", "fault-around-sequential.yaml"), sets);
    ReplicationResult r = RunTask.of(w, RunKey.workloadHash(w.sourceText()), sets, "linux_6_6", 0)
        .run();
    JobResult job = ResultCodec.decode(ResultCodec.encode(r)).jobs().get(0);
    assertThat(job.metrics()).containsExactlyEntriesOf(r.jobs().get(0).metrics());
    assertThat(job.metrics().keySet()).containsExactly("pages_touched", "page_throughput",
        "elapsed");
    assertThat(job.metrics().get("pages_touched")).isEqualTo(16384.0);
  }

  @Test
  void encodedResult_isSmall() throws Exception {
    Workload w = new WorkloadLoader().load(WORKLOAD, SETS);
    byte[] bytes = ResultCodec.encode(
        RunTask.of(w, RunKey.workloadHash(w.sourceText()), SETS, Workload.SYNTHETIC, 0).run());
    // A histogram of 1 ns..1 h at 3 digits has ~47k counters; compressed, a few hundred bytes.
    assertThat(bytes.length).isLessThan(20_000);
  }

  @Test
  void taskFromText_givesTheSameBytesAsTaskFromTheLoadedWorkload() throws Exception {
    Workload w = new WorkloadLoader().load(WORKLOAD, SETS);
    String hash = RunKey.workloadHash(w.sourceText());
    RunKey key = new RunKey(hash, SETS, Workload.SYNTHETIC, 1);
    byte[] remote = new RunTask(key, w.file(), w.sourceText()).call();
    byte[] local = RunTask.of(w, hash, SETS, Workload.SYNTHETIC, 1).call();
    assertThat(remote).isEqualTo(local);
  }

  @Test
  void taskWithTheWrongHash_isRefused() {
    RunKey key = new RunKey("0".repeat(64), SETS, Workload.SYNTHETIC, 0);
    assertThatThrownBy(() -> new RunTask(key, "w.yaml", "global: {runtime: 1ms}\n").call())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has hash");
  }

  @Test
  void malformedBytes_areRejectedWithAMessage() throws Exception {
    Workload w = new WorkloadLoader().load(WORKLOAD, SETS);
    byte[] bytes = ResultCodec.encode(
        RunTask.of(w, RunKey.workloadHash(w.sourceText()), SETS, Workload.SYNTHETIC, 0).run());
    assertThatThrownBy(() -> ResultCodec.decode(Arrays.copyOf(bytes, bytes.length / 2)))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] otherVersion = bytes.clone();
    otherVersion[0] = 99;
    assertThatThrownBy(() -> ResultCodec.decode(otherVersion))
        .hasMessageContaining("format 99");
  }

  @Test
  void workloadHash_isSha256OfTheText() {
    // sha256sum of the three bytes "abc".
    assertThat(RunKey.workloadHash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(RunKey.defaultClusterName("abc")).isEqualTo("faultsim-ba7816bf8f01");
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }
}
