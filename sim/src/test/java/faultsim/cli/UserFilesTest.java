package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.results.ResultsDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * faultsim never deletes or changes a file it did not write: every way of pointing a run at a
 * user's files (an existing directory, the working directory, a workload named '..', an existing
 * file, a place under a file or on /proc) exits 2 with a message naming the place, before
 * simulating, and leaves every byte of the user's files as it was.
 */
final class UserFilesTest {
  /** A small synthetic workload: one lock, two tasks, 200 us. */
  static final String WORKLOAD = String.join("\n",
      "# Two tasks on one spinlock.",
      "machine: {cores: 2}",
      "locks: {L: {kind: spinlock}}",
      "global: {runtime: 200us}",
      "jobs:",
      "  w:",
      "    numjobs: 2",
      "    steps:",
      "      - spin_lock: L",
      "      - cpu: 1us",
      "      - spin_unlock: L",
      "replications: 1",
      "");

  record Outcome(int status, String out, String err) {}

  static Outcome faultsim(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Outcome(status, out.toString(), err.toString());
  }

  /** Every file and directory below {@code dir} with its bytes (directories: empty). */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted().toList()) {
        out.put(dir.relativize(p).toString(), Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
            ? "/" : Arrays.toString(Files.readAllBytes(p)));
      }
    }
    return out;
  }

  static void assertRefused(Outcome o, String named, String why) {
    assertThat(o.status()).as(o.err()).isEqualTo(2);
    assertThat(o.err()).startsWith(named + ": ").contains(why);
    assertThat(o.err().strip().lines().count()).isEqualTo(1);
    assertThat(o.err()).doesNotContain("Exception").doesNotContain("\tat ");
    // Refused before simulating: nothing was run, so no summary was printed.
    assertThat(o.out()).doesNotContain("results:").doesNotContain("run 1/");
  }

  private static Path workload(Path dir, String text) throws IOException {
    Path w = dir.resolve("w.yaml");
    Files.writeString(w, text, StandardCharsets.UTF_8);
    return w;
  }

  @Test
  void run_outIsAUsersDirectory_refusedAndTheFilesStay(@TempDir Path dir) throws IOException {
    Path w = workload(dir, WORKLOAD);
    Path keep = dir.resolve("keep");
    Files.createDirectories(keep.resolve("sub"));
    Files.writeString(keep.resolve("notes.txt"), "my notes\n");
    Files.writeString(keep.resolve("sub/data.bin"), "\u0001\u0002");
    Map<String, String> before = snapshot(dir);

    Outcome o = faultsim("run", w.toString(), "--out", keep.toString());

    assertRefused(o, "--out " + keep, "holds files faultsim did not write (notes.txt, sub/)");
    assertThat(snapshot(dir)).isEqualTo(before);
  }

  @Test
  void run_outIsTheWorkingDirectory_refused() throws IOException {
    // The tests run in sim/, a directory of the user's: pom.xml, src/, target/.
    Path cwd = Path.of("").toAbsolutePath();
    long files = Files.list(cwd).count();
    String pom = Files.readString(cwd.resolve("pom.xml"));

    Outcome o = faultsim("run", RunCommandTest.WORKLOADS.resolve("one-lock-mva.yaml").toString(),
        "--out", ".");

    assertRefused(o, "--out .", "holds files faultsim did not write");
    assertThat(o.err()).contains("pom.xml");
    assertThat(Files.list(cwd).count()).isEqualTo(files);
    assertThat(Files.readString(cwd.resolve("pom.xml"))).isEqualTo(pom);
  }

  @Test
  void run_workloadNamedDotDot_refusedAtItsNameKey(@TempDir Path dir) throws IOException {
    // 'name: ..' on line 2 would make reports/.. the results directory: the working directory.
    Path w = workload(dir, WORKLOAD.replace("machine:", "name: ..\nmachine:"));
    Map<String, String> before = snapshot(dir);

    Outcome o = faultsim("run", w.toString());

    assertRefused(o, w + ":2:1", "name '..' must start with a letter or digit");
    assertThat(snapshot(dir)).isEqualTo(before);
    assertThat(Path.of("pom.xml")).exists();
  }

  @Test
  void run_outIsAnExistingFile_refusedAndTheFileStays(@TempDir Path dir) throws IOException {
    Path w = workload(dir, WORKLOAD);
    Path keep = dir.resolve("keep.txt");
    Files.writeString(keep, "my file\n");
    Map<String, String> before = snapshot(dir);

    Outcome o = faultsim("run", w.toString(), "--out", keep.toString());

    assertRefused(o, "--out " + keep, "is a file, not a results directory");
    assertThat(snapshot(dir)).isEqualTo(before);
  }

  @Test
  void run_outUnderAFile_refused(@TempDir Path dir) throws IOException {
    Path w = workload(dir, WORKLOAD);
    Path file = dir.resolve("keep.txt");
    Files.writeString(file, "my file\n");
    Map<String, String> before = snapshot(dir);

    Outcome o = faultsim("run", w.toString(), "--out", file.resolve("x/y").toString());

    assertRefused(o, "--out " + file.resolve("x/y"), "lies under " + file + ", which is a file");
    assertThat(snapshot(dir)).isEqualTo(before);
  }

  @Test
  void run_outOnProc_refused(@TempDir Path dir) throws IOException {
    Path w = workload(dir, WORKLOAD);
    Outcome o = faultsim("run", w.toString(), "--out", "/proc/faultsim-results");
    assertRefused(o, "--out /proc/faultsim-results", "on proc");
  }

  @Test
  void run_twiceIntoTheSameOut_replacesItsOwnResults(@TempDir Path dir) throws IOException {
    Path w = workload(dir, WORKLOAD);
    Path out = dir.resolve("out");
    assertThat(faultsim("run", w.toString(), "--out", out.toString()).status()).isZero();
    String summary = Files.readString(out.resolve("summary.csv"));

    Outcome again = faultsim("run", w.toString(), "--out", out.toString());

    assertThat(again.status()).as(again.err()).isZero();
    assertThat(Files.readString(out.resolve("summary.csv"))).isEqualTo(summary);
    // Nothing is left beside it: no temporary directory, no lock file.
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("out",
          "w.yaml");
    }
  }

  /**
   * A results directory faultsim wrote, then changed by the user: a file added (in a
   * subdirectory) or a file edited. Either makes it the user's, and a run refuses it.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "lock_stat/my-notes.txt | holds files faultsim did not write (lock_stat/my-notes.txt)",
      "summary.csv            | holds files changed since faultsim wrote them (summary.csv)"})
  void run_ownResultsChangedByTheUser_refused(String file, String why, @TempDir Path dir)
      throws IOException {
    Path w = workload(dir, WORKLOAD);
    Path out = dir.resolve("out");
    assertThat(faultsim("run", w.toString(), "--out", out.toString()).status()).isZero();
    Files.writeString(out.resolve(file), "the user's words\n");
    Map<String, String> before = snapshot(dir);

    Outcome o = faultsim("run", w.toString(), "--out", out.toString());

    assertRefused(o, "--out " + out, why);
    assertThat(snapshot(dir)).isEqualTo(before);
  }

  @Test
  void report_renderedAgain_keepsTheDirectoryReplaceable(@TempDir Path dir) throws IOException {
    Path w = workload(dir, WORKLOAD);
    Path out = dir.resolve("out");
    assertThat(faultsim("run", w.toString(), "--out", out.toString()).status()).isZero();
    // A report rendered by hand (say by a newer faultsim) rewrites index.html and charts/.
    Files.writeString(out.resolve("index.html"), "an older rendering");
    ResultsDirectory.seal(out);

    assertThat(faultsim("report", out.toString()).status()).isZero();

    assertThat(Files.readString(out.resolve("index.html"))).isNotEqualTo("an older rendering");
    assertThat(ResultsDirectory.whyNotReplaceable(out)).isEmpty();
    assertThat(faultsim("run", w.toString(), "--out", out.toString()).status()).isZero();
  }
}
