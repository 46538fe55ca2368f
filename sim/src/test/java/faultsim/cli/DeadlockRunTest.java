package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run the oracle stops at a deadlock says so: the console names the replication and the time,
 * {@code summary.csv} has a {@code vmstat} row {@code deadlocked_at_ns} at the time of the
 * deadlock's report, and rates are over the time simulated until then (here both jobs are stuck
 * before finishing an operation, so 0 operations and a throughput of 0, not one computed over
 * the 200 us the run was meant to last).
 */
final class DeadlockRunTest {
  @TempDir Path dir;

  @Test
  void aRunStoppedByADeadlock_isFlaggedInTheConsoleAndSummary() throws Exception {
    // Truncate takes alpha then beta, punch beta then alpha, both after a think time on two
    // cores: each takes its first lock and waits for the other's
    // (src/test/resources/faultsim/fault/inverted-locks.yaml and inverted.design).
    Path yaml = Path.of("src/test/resources/faultsim/fault/inverted-locks.yaml");
    Path out = dir.resolve("out");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int status = Main.execute(new String[] {"run", yaml.toString(), "--out", out.toString(),
        "--threads", "1", "--replications", "1"}, new PrintWriter(o), new PrintWriter(e));
    assertThat(status).as(e.toString()).isZero();
    assertThat(o.toString()).contains("inverted                 stopped by a deadlock in 1 of 1"
        + " replications (r0 at ");

    Matcher m = Pattern.compile("deadlock r0 t=(\\d+)ns|lock_order r0 t=(\\d+)ns: deadlock")
        .matcher(Files.readString(out.resolve("violations.txt")));
    assertThat(m.find()).isTrue();
    String at = m.group(1) != null ? m.group(1) : m.group(2);
    List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
    assertThat(summary).anyMatch(l -> l.startsWith("inverted,vmstat,deadlocked_at_ns," + at
        + ","));
    assertThat(summary).contains("inverted,trunc,operations,0,,ops,1",
        "inverted,trunc,throughput,0,,ops/s,1");
  }
}
