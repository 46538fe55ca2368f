package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One design under two settings in one run: entries {@code {design, as, set}} are labelled in
 * every result and run on the same random numbers; bad entries are refused at their key.
 */
final class DesignSettingsTest {
  /**
   * One reader touching a cached 1 MiB file (256 pages of 4 KiB) in order, one touch every
   * 1/256000 s: at most 256 touches in 999 us, one pass over the file.
   */
  static final String WORKLOAD = String.join("\n",
      "files: {lib: {size: 1M}}",                                                     // 1
      "global: {runtime: 999us}",                                                     // 2
      "jobs:",                                                                        // 3
      "  reader: {rw: read, file: lib, rate: 256000/s}",                              // 4
      "designs:",                                                                     // 5
      "  - {design: linux_6_6, as: a@4k, set: {kernel.fault_around_bytes: 4k}}",      // 6
      "  - {design: linux_6_6, as: a@64k, set: {kernel.fault_around_bytes: 64k}}",    // 7
      "replications: 2",                                                              // 8
      "");

  @Test
  void faultAroundOf4kAnd64k_oneRun_faultEveryPageVersusOneInSixteen(@TempDir Path dir)
      throws Exception {
    Path w = dir.resolve("w.yaml");
    Files.writeString(w, WORKLOAD);
    Path out = dir.resolve("out");
    StringWriter err = new StringWriter();
    int status = Main.execute(new String[] {"run", w.toString(), "--out", out.toString(),
        "--threads", "2"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(status).as(err.toString()).isZero();
    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    // fault_around_bytes 4k is one page: no fault-around (should_fault_around), so each of the
    // 256 touches of the pass faults. At 64k, a read fault maps the aligned 16-page window
    // around it from the page cache, so only pages 0, 16, ..., 240 fault: 256 / 16 = 16.
    assertThat(summary).contains("a@4k,vmstat,PGFAULT,256,0,count,2",
        "a@64k,vmstat,PGFAULT,16,0,count,2");
    assertThat(out.resolve("lock_stat/a@4k.txt")).exists();
    assertThat(out.resolve("lock_stat/a@64k.txt")).exists();
    assertThat(Files.readString(out.resolve("index.html"))).contains("a@64k");
    // The report's design page says what the entry runs.
    assertThat(Files.readString(out.resolve("designs/a@4k.txt"))).startsWith(
        "// a@4k: design linux_6_6 with kernel.fault_around_bytes=4k\n// ==== builtin:linux_6_6 ====\n");
    // The manifest records each entry's design and settings.
    assertThat(Files.readString(out.resolve("manifest.json")))
        .contains("\"as_given\" : \"linux_6_6\",\n    \"set\" : [ \"kernel.fault_around_bytes=4k\" ]");
  }

  @Test
  void aRunSentToAWorker_findsTheEntryByItsLabel_andRunsItsSettings() throws Exception {
    // What a cluster worker gets: the workload's text and the run's key, the design by label.
    faultsim.run.RunTask task = new faultsim.run.RunTask(new faultsim.run.RunKey(
        faultsim.run.RunKey.workloadHash(WORKLOAD), List.of(), "a@64k", 1), "w.yaml", WORKLOAD);
    faultsim.run.ReplicationResult r = task.run();
    assertThat(r.design()).isEqualTo("a@64k");
    assertThat(r.vmstat().get("PGFAULT")).isEqualTo(16L);
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(delimiter = '|', value = {
      // A label used twice: the second 'as' at 7:25.
      "as: a@64k|as: a@4k|W:7:25|label 'a@4k' is used twice (designs[0] and designs[1])",
      // A value the key refuses: the set key at 6:41.
      "fault_around_bytes: 4k}|fault_around_bytes: 3k}|W:6:41|kernel.fault_around_bytes must be"
          + " a power of two",
      // An unknown key under kernel, at the set key.
      "kernel.fault_around_bytes: 4k|kernel.fault_arond: 4k|W:6:41|unknown key 'fault_arond'"
          + " in kernel Expected one of: costs, fault_around_bytes,",
      // A key that would change the tasks.
      "kernel.fault_around_bytes: 4k|jobs.reader.numjobs: 2|W:6:41|'jobs.reader.numjobs' cannot"
          + " differ between designs",
      // A value of the wrong type.
      "kernel.fault_around_bytes: 4k|machine.cores: many|W:6:41|machine.cores: expected a whole"
          + " number",
      // A label that cannot name a file.
      "as: a@4k|as: a/4k|W:6:25|label 'a/4k' must start with a letter or digit"})
  void badEntry_exitsTwoAtTheKey(String from, String to, String place, String fragment,
      @TempDir Path dir) throws Exception {
    Path w = dir.resolve("w.yaml");
    String text = WORKLOAD.replaceFirst(java.util.regex.Pattern.quote(from), to);
    assertThat(text).isNotEqualTo(WORKLOAD);
    Files.writeString(w, text);
    StringWriter err = new StringWriter();
    int status = Main.execute(new String[] {"run", w.toString(), "--out",
        dir.resolve("out").toString()}, new PrintWriter(new StringWriter()),
        new PrintWriter(err));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString()).startsWith(place.replace("W", w.toString()) + ": ")
        .contains(fragment);
    assertThat(dir.resolve("out")).doesNotExist();
  }
}
