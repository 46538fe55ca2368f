package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.results.ResultsDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faultsim hunt}, {@code replay} and {@code run --schedule} end to end. */
final class HuntCommandTest {
  static final String EXT4 = Path.of("..", "workloads", "ext4-punch-vs-faults.yaml").toString();

  record Out(int status, String out, String err) {}

  static Out exec(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int s = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new Out(s, out.toString(), err.toString());
  }

  @Test
  void huntWritesAScheduleThatReplayAndRunReproduceByteForByte(@TempDir Path tmp)
      throws Exception {
    // At 100 us replication 0 of linux_3_15 shows no violation unperturbed; the hunt finds
    // CVE-2015-8839's stale data (HuntTest) and writes its schedule and violation text.
    Path dir = tmp.resolve("h");
    Out h = exec("hunt", EXT4, "--design", "linux_3_15", "--set", "global.runtime=100us",
        "--out", dir.toString(), "--threads", "2");
    assertThat(h.status()).as(h.err()).isZero();
    // The default strategy, pairs: a schedule has one delay, or none (a replication's
    // recorded run).
    assertThat(h.out()).containsPattern("linux_3_15 +stale_data +found after \\d+ schedules?,"
        + " perturbations [01] -> [01]");
    assertThat(ResultsDirectory.isSealed(dir)).isTrue();
    Path schedule = dir.resolve("hunt/linux_3_15-stale_data.schedule");
    String violation = Files.readString(dir.resolve("hunt/linux_3_15-stale_data.violation.txt"),
        StandardCharsets.UTF_8);
    assertThat(Files.readString(dir.resolve("hunt.txt"))).contains("stale_data       found at"
        + " schedule ").contains("replay: hunt/linux_3_15-stale_data.schedule");
    assertThat(Files.readString(dir.resolve("hunt.csv"))).startsWith("design,kind,found,"
        + "schedules,points,perturbations_found,perturbations_shrunk,time_ns,summary\n"
        + "linux_3_15,stale_data,true,");
    assertThat(violation).startsWith("stale_data t=");

    // replay: the same run, so the same violation, byte for byte, then drawn in columns.
    Out r = exec("replay", schedule.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("replay: design linux_3_15, ");
    String afterHeader = r.out().substring(r.out().indexOf('\n') + 1);
    assertThat(afterHeader).startsWith(violation);

    // run --schedule runs the schedule's design with its delays in every replication; its
    // replication r (the schedule's, whose arrivals the hunt drew) is the hunt's run.
    String rLine = Files.readAllLines(schedule).stream()
        .filter(l -> l.startsWith("replication ")).findFirst().orElseThrow();
    int rep = Integer.parseInt(rLine.substring("replication ".length()));
    Path run = tmp.resolve("r");
    Out o = exec("run", EXT4, "--set", "global.runtime=100us", "--replications",
        Integer.toString(rep + 1), "--schedule", schedule.toString(), "--out", run.toString(),
        "--threads", "2");
    assertThat(o.status()).as(o.err()).isZero();
    String v = Files.readString(run.resolve("violations.txt"));
    String first = violation.substring(0, violation.indexOf('\n'));
    String rest = violation.substring(violation.indexOf('\n') + 1);
    assertThat(v).startsWith("design linux_3_15:")
        .contains("  " + first.replaceFirst(" t=", " r" + rep + " t=") + "\n" + rest);
  }

  @Test
  void aDesignEntryWithSettings_isHuntedWithThem_andItsScheduleReplaysThem(@TempDir Path tmp)
      throws Exception {
    // The ext4 workload with one entry: 3.15 under a 16 KiB fault-around window, labelled.
    // The hunt must run the entry's workload (its kernel setting), report it under its label,
    // and write a schedule whose overrides carry the setting, so replay runs the same thing:
    // the same violation text, byte for byte.
    Path w = tmp.resolve("w.yaml");
    Files.writeString(w, Files.readString(Path.of(EXT4)).replace(
        "designs: [linux_3_15, punch_two_unmaps, ext4_punch_i_mmap_sem, linux_6_6]",
        "designs:\n  - {design: linux_3_15, as: l315-16k, set: {kernel.fault_around_bytes: 16k}}"));
    Path dir = tmp.resolve("h");
    Out h = exec("hunt", w.toString(), "--set", "global.runtime=100us", "--out",
        dir.toString(), "--threads", "2");
    assertThat(h.status()).as(h.err()).isZero();
    assertThat(h.out()).contains("l315-16k");
    Path schedule = dir.resolve("hunt/l315-16k-stale_data.schedule");
    assertThat(Files.readString(schedule)).contains("set global.runtime=100us\n"
        + "set kernel.fault_around_bytes=16k\ndesign linux_3_15\n");
    String violation = Files.readString(dir.resolve("hunt/l315-16k-stale_data.violation.txt"),
        StandardCharsets.UTF_8);
    Out r = exec("replay", schedule.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out().substring(r.out().indexOf('\n') + 1)).startsWith(violation);
  }

  @Test
  void badValuesAndSchedulesAreBadInput(@TempDir Path tmp) throws Exception {
    Out s = exec("hunt", EXT4, "--strategy", "dfs", "--out", tmp.resolve("x").toString());
    assertThat(s.status()).isEqualTo(2);
    assertThat(s.err()).isEqualTo("--strategy dfs: expected pairs, pct or random\n");
    Path bad = tmp.resolve("bad.schedule");
    Files.writeString(bad, "workload " + EXT4 + "\nworkload_sha256 00\ndesign linux_3_15\n"
        + "seed 1\nstrategy pct\nkind stale_data\nperturbations 1\nreader/0 x folio_lock 5\n");
    Out r = exec("replay", bad.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).isEqualTo(bad + ":8:10: expected an integer, found 'x'\n");
    // A schedule whose workload has changed since (another hash) is refused, not replayed.
    Files.writeString(bad, "workload " + EXT4 + "\nworkload_sha256 00\ndesign linux_3_15\n"
        + "seed 1\nstrategy pct\nkind stale_data\nperturbations 0\n");
    Out c = exec("replay", bad.toString());
    assertThat(c.status()).isEqualTo(2);
    assertThat(c.err()).startsWith(bad + ":2:1: the workload " + EXT4 + " has changed");
  }

  @Test
  void clusterOptionsAreCheckedBeforeAnyConnection(@TempDir Path tmp) {
    // A cluster address must be host:port, and a hunt on a cluster runs on its workers'
    // threads: both are refused before the workload is loaded or any worker is looked for.
    Out a = exec("hunt", EXT4, "--cluster", "10.0.0.5", "--out", tmp.resolve("a").toString());
    assertThat(a.status()).isEqualTo(2);
    assertThat(a.err()).isEqualTo("--cluster 10.0.0.5: expected host:port, e.g. 10.0.0.5:5701\n");
    Out t = exec("hunt", EXT4, "--cluster", "127.0.0.1:5701", "--threads", "2", "--out",
        tmp.resolve("t").toString());
    assertThat(t.status()).isEqualTo(2);
    assertThat(t.err()).isEqualTo("--threads 2: a hunt on a cluster runs on its workers'"
        + " threads; give those with ./faultsim worker --threads\n");
    assertThat(tmp.resolve("a")).doesNotExist();
    assertThat(tmp.resolve("t")).doesNotExist();
  }
}
