package faultsim.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import faultsim.run.Experiment;
import faultsim.run.ReplicationResult;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files that reports are drawn from: replications.csv, cpu.csv and timeline.csv. */
final class ResultsFilesTest {
  private static final String WORKLOAD = """
      # Faults that read from a device under a shared lock, and a rare truncate-like writer.
      machine:
        cores: 4
      locks:
        lock: {kind: rwsem, class: "&mapping->invalidate_lock"}
      devices:
        disk: {queue_depth: 8, read_latency: 5us}
      global:
        runtime: 4ms
        ramp_time: 1ms
      jobs:
        fault:
          numjobs: 8
          op: fault
          thinktime_spin: exp(2us)
          steps:
            - down_read: lock
            - read: disk
            - up_read: lock
        trunc:
          op: truncate
          thinktime: 500us
          steps:
            - down_write: lock
            - cpu: 20us
            - up_write: lock
      replications: 2
      """;

  static List<String[]> csv(Path file) throws Exception {
    return Files.readAllLines(file).stream().skip(1).map(l -> l.split(",", -1)).toList();
  }

  @Test
  void cpuTimelineAndReplications_agreeWithTheSummary(@TempDir Path tmp) throws Exception {
    Workload w = new WorkloadLoader().parse("files.yaml", WORKLOAD, List.of());
    List<ReplicationResult> runs = Experiment.run(w, 2, null);
    Path dir = tmp.resolve("r");

    ResultsWriter.write(dir, w, runs, Map.of());

    // The directory is shared like any other (not 0700, as a temporary directory is made).
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
          Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-xr-x");
    }
    // cpu.csv: the four states add up to every core's measured time; I/O wait is idle time.
    Map<String, Long> perRep = new HashMap<>();
    long ioWait = 0;
    for (String[] r : csv(dir.resolve("cpu.csv"))) {
      perRep.merge(r[1], Long.parseLong(r[3]), Long::sum);
      if (r[2].equals("io_wait")) {
        ioWait += Long.parseLong(r[3]);
      }
    }
    assertThat(perRep).hasSize(2).allSatisfy((rep, ns) -> assertThat(ns).isEqualTo(4 * 4_000_000L));
    assertThat(ioWait).isPositive();
    for (ReplicationResult r : runs) {
      assertThat(r.cpu().ioWaitNs()).isBetween(1L, r.cpu().idleNs());
    }

    // timeline.csv: 100 contiguous buckets per job covering the measured run; their operations
    // are replication 0's; the rare job's operations each have a row, the faults' do not.
    Map<String, Long> bucketOps = new HashMap<>();
    Map<String, Integer> buckets = new HashMap<>();
    Map<String, Long> lastEnd = new HashMap<>();
    int truncRows = 0;
    for (String[] r : csv(dir.resolve("timeline.csv"))) {
      long start = Long.parseLong(r[3]);
      long end = Long.parseLong(r[4]);
      if (r[2].equals("bucket")) {
        assertThat(start).isEqualTo(lastEnd.getOrDefault(r[1], 1_000_000L));
        lastEnd.put(r[1], end);
        bucketOps.merge(r[1], Long.parseLong(r[5]), Long::sum);
        buckets.merge(r[1], 1, Integer::sum);
      } else {
        assertThat(r[2]).isEqualTo("op");
        assertThat(r[1]).isEqualTo("trunc");
        assertThat(end - start).isGreaterThanOrEqualTo(20_000);
        truncRows++;
      }
    }
    assertThat(buckets).containsEntry("fault", 100).containsEntry("trunc", 100);
    assertThat(lastEnd).containsEntry("fault", 5_000_000L);
    assertThat(bucketOps.get("fault")).isEqualTo(runs.get(0).jobs().get(0).operations())
        .isGreaterThan(1000);
    assertThat(truncRows).isEqualTo(runs.get(0).jobs().get(1).operations()).isPositive();

    // replications.csv: per-replication values whose mean is the summary's.
    Map<String, double[]> sums = new HashMap<>();
    for (String[] r : csv(dir.resolve("replications.csv"))) {
      double[] s = sums.computeIfAbsent(r[1] + "/" + r[2], k -> new double[2]);
      s[0] += Double.parseDouble(r[4]);
      s[1]++;
    }
    List<String[]> summary = csv(dir.resolve("summary.csv"));
    assertThat(sums).hasSize(summary.size());
    for (String[] r : summary) {
      double[] s = sums.get(r[1] + "/" + r[2]);
      assertThat(s[1]).as(r[2]).isEqualTo(2);
      assertThat(s[0] / s[1]).as(r[2]).isCloseTo(Double.parseDouble(r[3]),
          within(1e-6 * Math.max(1, Math.abs(Double.parseDouble(r[3])))));
    }
  }
}
