package faultsim.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.HazelcastInstance;
import faultsim.cli.Main;
import faultsim.workload.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps on a cluster of two workers (in-JVM Hazelcast members on 127.0.0.1, one simulation
 * thread each) write exactly what a local sweep writes: the same {@code sweep.csv} and the same
 * point files, byte for byte, whatever order the results arrive in and even when a worker dies
 * halfway and its runs are handed out again.
 */
final class ClusterSweepTest {
  static final Path WORKLOAD = Path.of("..", "workloads", "one-lock-mva.yaml");
  /** 5 core counts x 2 populations = 10 points, x 4 replications of one design = 40 runs. */
  static final List<String> SWEEP = List.of("--set", "machine.cores=1,2,4,8,16",
      "--set", "jobs.worker.numjobs=2,8", "--set", "replications=4");

  private final List<HazelcastInstance> members = new ArrayList<>();
  private final String clusterName = "faultsim-test-" + UUID.randomUUID();

  @AfterEach
  void stopMembers() {
    for (HazelcastInstance m : members) {
      m.getLifecycleService().terminate();
    }
  }

  @Test
  void sweepOnTwoWorkers_writesTheSameFilesAsALocalSweep(@TempDir Path dir) throws Exception {
    List<String> addresses = startTwoWorkers();
    List<String> sweep = sweep("global.runtime=2ms");

    Path local = dir.resolve("local");
    assertThat(run(sweep, "--out", local.toString(), "--threads", "2").status).isZero();
    Path cluster = dir.resolve("cluster");
    Result r = run(sweep, "--out", cluster.toString(), "--cluster", String.join(",", addresses),
        "--cluster-name", clusterName);

    assertThat(r.status).as(r.err).isZero();
    assertThat(r.out).contains("sweep: runs on cluster '" + clusterName + "': 2 workers, 2 threads");
    assertThat(r.err).doesNotContain("re-running");
    assertThat(SameResults.files(cluster).stream()
        .filter(f -> f.getFileName().toString().equals("summary.csv"))).hasSize(10);
    SameResults.assertSameResults(cluster, local);
  }

  @Test
  void workerKilledHalfway_itsRunsAreRunAgainElsewhere_andTheFilesAreTheSame(@TempDir Path dir)
      throws Exception {
    List<String> addresses = startTwoWorkers();
    List<String> sweep = sweep("global.runtime=50ms");
    Path local = dir.resolve("local");
    assertThat(run(sweep, "--out", local.toString(), "--threads", "2").status).isZero();

    // Kill the second worker when the 4th of 10 points has been written: runs are in flight
    // on both workers then (each keeps two: one running, one queued).
    HazelcastInstance victim = members.get(1);
    Path cluster = dir.resolve("cluster");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Writer killer = new LineWatcher(out, "point ", 4, () -> victim.getLifecycleService().terminate());
    String[] args = args(sweep, "--out", cluster.toString(), "--cluster",
        String.join(",", addresses), "--cluster-name", clusterName);
    int status = Main.execute(args, new PrintWriter(killer), new PrintWriter(err));

    assertThat(status).as(err.toString()).isZero();
    assertThat(victim.getLifecycleService().isRunning()).isFalse();
    List<String> reruns = err.toString().lines().filter(l -> l.startsWith("faultsim: re-running"))
        .toList();
    // e.g. "faultsim: re-running point p0005_machine.cores_4_jobs.worker.numjobs_8 design
    // synthetic replication 2 (member 127.0.0.1:40123 was lost: TargetDisconnectedException)"
    assertThat(reruns).isNotEmpty().allSatisfy(l -> assertThat(l)
        .matches("faultsim: re-running point p\\d{4}_\\S+ design synthetic replication \\d"
            + " \\(member " + addresses.get(1).replace(".", "\\.") + " was lost: \\w+\\)"));
    SameResults.assertSameResults(cluster, local);
  }

  @Test
  void sweepResumesOnTheClusterFromPointsWrittenLocally(@TempDir Path dir) throws Exception {
    List<String> addresses = startTwoWorkers();
    Path whole = dir.resolve("whole");
    List<String> sets = List.of("machine.cores=1,2,4", "global.runtime=2ms", "replications=2");
    assertThat(faultsim.run.Sweep.run(WORKLOAD, List.of(), sets, whole, 2, -1, null)).isTrue();

    Path resumed = dir.resolve("resumed");
    assertThat(faultsim.run.Sweep.run(WORKLOAD, List.of(), sets, resumed, 2, 1, null)).isFalse();
    List<Boolean> found = new ArrayList<>();
    try (var pool = ClusterRunPool.connect(addresses, clusterName, 10_000)) {
      assertThat(faultsim.run.Sweep.run(WORKLOAD, List.of(), sets, resumed, pool, -1,
          (p, done, total) -> found.add(done))).isTrue();
    }
    assertThat(found).containsExactly(true, false, false);
    SameResults.assertSameResults(resumed, whole);
  }

  /**
   * Anonymous write faults beside an mmap() writer, under a built-in design and a design file
   * whose header names it {@code spf_vma_seq}: results are named after the header's name, not
   * the path, and a run's result must be matched to the run asked for by that name.
   */
  static final String DESIGN_FILE_WORKLOAD = String.join("\n",
      "machine: {cores: 4}",
      "files: {lib: {size: 64k}}",
      "global: {runtime: 200us}",
      "jobs:",
      "  fault: {numjobs: 2, rw: write, mapping: anon, size: 512k}",
      "  mmap: {op: mmap, file: lib, thinktime: 20us}",
      "designs: [linux_6_6, my.design]",
      "replications: 2",
      "");

  @Test
  void sweepOfADesignFile_locallyAndOnTheCluster_givesThePointsThatRunGives(@TempDir Path dir)
      throws Exception {
    Path w = dir.resolve("w.yaml");
    Files.writeString(w, DESIGN_FILE_WORKLOAD);
    Files.writeString(dir.resolve("my.design"), "design spf_vma_seq extends spf_2019;\n");
    List<String> addresses = startTwoWorkers();
    List<String> sweep = List.of("sweep", w.toString(), "--set",
        "jobs.mmap.thinktime=10us,50us");

    Path local = dir.resolve("local");
    Result l = command(sweep, "--out", local.toString(), "--threads", "2");
    assertThat(l.status).as(l.err).isZero();
    Path cluster = dir.resolve("cluster");
    Result c = command(sweep, "--out", cluster.toString(), "--cluster",
        String.join(",", addresses), "--cluster-name", clusterName);
    assertThat(c.status).as(c.err).isZero();
    SameResults.assertSameResults(cluster, local);

    // Each point holds what run of that point writes: the same summary, per-replication values
    // and lock_stat, under the design file's own name.
    for (String t : List.of("10us", "50us")) {
      Path point = local.resolve("points").resolve(
          Files.list(local.resolve("points")).map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith("thinktime_" + t)).findFirst().orElseThrow());
      Path single = dir.resolve("run-" + t);
      StringWriter err = new StringWriter();
      assertThat(Main.execute(new String[] {"run", w.toString(), "--set",
          "jobs.mmap.thinktime=" + t, "--out", single.toString(), "--threads", "2"},
          new PrintWriter(new StringWriter()), new PrintWriter(err))).as(err.toString()).isZero();
      assertThat(point.resolve("lock_stat/spf_vma_seq.txt")).exists();
      for (String f : List.of("summary.csv", "replications.csv", "lock_stat/linux_6_6.txt",
          "lock_stat/spf_vma_seq.txt", "locks.csv")) {
        assertThat(Files.mismatch(point.resolve(f), single.resolve(f))).as(t + " " + f)
            .isEqualTo(-1L);
      }
    }
  }

  private static Result command(List<String> args, String... more) {
    List<String> a = new ArrayList<>(args);
    a.addAll(List.of(more));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.execute(a.toArray(String[]::new), new PrintWriter(out),
        new PrintWriter(err));
    return new Result(status, out.toString(), err.toString());
  }

  @Test
  void workers_refuseJavaSerialisedTasksFromOutsideFaultsim() throws Exception {
    List<String> addresses = startTwoWorkers();
    HazelcastInstance client = HazelcastClient.newHazelcastClient(
        ClusterSettings.client(clusterName, addresses, 10_000));
    try {
      // A serialisable lambda travels as java.lang.invoke.SerializedLambda.
      Callable<String> foreign = (Callable<String> & Serializable) () -> "ran";
      Future<String> f = client.getExecutorService(ClusterSettings.EXECUTOR)
          .submitToMember(foreign, members.get(0).getCluster().getLocalMember());
      assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
          .hasStackTraceContaining("is not allowed");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void sweepWithAnotherClusterName_failsWithBadInput(@TempDir Path dir) throws Exception {
    List<String> addresses = startTwoWorkers();
    assertThatThrownBy(() -> ClusterRunPool.connect(addresses, clusterName + "-other", 2_000))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("no faultsim worker of cluster '" + clusterName + "-other'")
        .hasMessageContaining("./faultsim worker --cluster-name " + clusterName + "-other");
  }

  // ---- helpers ------------------------------------------------------------------------------

  private List<String> startTwoWorkers() throws IOException {
    return Workers.startTwo(clusterName, members);
  }

  private static List<String> sweep(String runtime) {
    List<String> out = new ArrayList<>(SWEEP);
    out.add("--set");
    out.add(runtime);
    return out;
  }

  private static String[] args(List<String> sweep, String... more) {
    List<String> a = new ArrayList<>(List.of("sweep", WORKLOAD.toString()));
    a.addAll(sweep);
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  private record Result(int status, String out, String err) {}

  private static Result run(List<String> sweep, String... more) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.execute(args(sweep, more), new PrintWriter(out), new PrintWriter(err));
    return new Result(status, out.toString(), err.toString());
  }

  /** Passes text on, and runs {@code action} once the k-th line starting with a prefix is out. */
  private static final class LineWatcher extends Writer {
    private final Writer to;
    private final String prefix;
    private final int k;
    private final Runnable action;
    private final StringBuilder line = new StringBuilder();
    private int seen;

    LineWatcher(Writer to, String prefix, int k, Runnable action) {
      this.to = to;
      this.prefix = prefix;
      this.k = k;
      this.action = action;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
      to.write(buf, off, len);
      for (int i = off; i < off + len; i++) {
        if (buf[i] != '\n') {
          line.append(buf[i]);
          continue;
        }
        if (line.toString().startsWith(prefix) && ++seen == k) {
          action.run();
        }
        line.setLength(0);
      }
    }

    @Override
    public void flush() throws IOException {
      to.flush();
    }

    @Override
    public void close() throws IOException {
      to.close();
    }
  }
}
