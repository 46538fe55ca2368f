package faultsim.results;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.run.Experiment;
import faultsim.run.ReplicationResult;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the time goes ({@code stacks/<design>.folded}, {@code tasks.csv}): on synthetic
 * workloads whose schedule can be worked out by hand, and on a kernel workload, where every
 * nanosecond of every task must be charged once and the wait frames must add up to the time the
 * tasks spent in each state.
 */
final class StacksTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "faultsim", "results");

  private static List<ReplicationResult> run(String name, String yaml, List<String> sets)
      throws Exception {
    Workload w = new WorkloadLoader().parse(name, yaml, sets);
    return Experiment.run(w, 1, null);
  }

  /**
   * Two tasks on two cores take one spinlock in turn, holding it 10 µs, with every cost zero:
   * task A takes it at 0 while B spins; at each release the queued spinner gets it at once and
   * the releaser spins for it again. So over 1 ms each task works 50 slots of 10 µs and spins 50:
   * 500 µs each, 1 ms of each kind for the job.
   */
  static final String ONE_LOCK = """
      machine:
        cores: 2
        costs: {atomic_local: 0ns, transfer_same_socket: 0ns, transfer_cross_socket: 0ns,
                wakeup: 0ns, context_switch: 0ns, memory_fetch: 0ns}
      locks:
        L: {kind: spinlock, class: "&test->lock"}
      global:
        runtime: 1ms
      replications: 1
      jobs:
        worker:
          numjobs: 2
          steps:
            - spin_lock: L
            - cpu: 10us
            - spin_unlock: L
      """;

  @Test
  void oneSpinlock_twoTasks_halfWorkHalfSpinEach(@TempDir Path dir) throws Exception {
    List<ReplicationResult> runs = run("one-lock.yaml", ONE_LOCK, List.of());

    ReplicationResult r = runs.get(0);
    assertThat(r.stacks()).containsExactly(
        Map.entry("worker;[spin &test->lock]", 1_000_000L),
        Map.entry("worker;[user]", 1_000_000L));
    assertThat(r.tasks()).extracting(ReplicationResult.TaskTime::busyNs,
        ReplicationResult.TaskTime::spinNs).containsOnly(
            org.assertj.core.groups.Tuple.tuple(500_000L, 500_000L));
    // 50 operations each: one per 20 µs round of hold + spin.
    assertThat(r.tasks()).extracting(ReplicationResult.TaskTime::operations)
        .containsExactly(50L, 50L);
  }

  /**
   * One task alone: 10 µs on the CPU, then a 30 µs sleep, then the 2 µs wake-up latency: a 42 µs
   * cycle. In 1 ms: 23 whole cycles (966 µs), then 10 µs of work and 24 µs of the 24th sleep.
   * So [user] 24 × 10 = 240 µs, [sleep] 23 × 30 + 24 = 714 µs, [wakeup] 23 × 2 = 46 µs. Two
   * replications of the same deterministic schedule are summed in the file. Its bytes are the
   * golden form of a folded file: lines in string order, {@code frames ns}.
   */
  @Test
  void cpuThenSleep_foldedFileIsTheHandComputedSplit(@TempDir Path dir) throws Exception {
    String yaml = """
        machine: {cores: 1}
        global:
          runtime: 1ms
        replications: 2
        jobs:
          loop:
            steps:
              - cpu: 10us
              - sleep: 30us
        """;
    Workload w = new WorkloadLoader().parse("cpu-sleep.yaml", yaml, List.of());
    List<ReplicationResult> runs = Experiment.run(w, 1, null);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("started", "2026-01-01T00:00:00Z");
    Path out = dir.resolve("r");
    ResultsWriter.write(out, w, runs, info);

    String folded = Files.readString(out.resolve("stacks/synthetic.folded"),
        StandardCharsets.UTF_8);
    assertThat(folded).isEqualTo(Files.readString(GOLDEN.resolve("cpu-sleep.folded"),
        StandardCharsets.UTF_8));
    assertThat(folded).isEqualTo("loop;[sleep] 1428000\nloop;[user] 480000\n"
        + "loop;[wakeup] 92000\n");
    assertThat(Files.readString(out.resolve("SHA256SUMS"))).contains("  stacks/synthetic.folded\n",
        "  tasks.csv\n");
    assertThat(Files.readAllLines(out.resolve("tasks.csv"))).containsExactly(
        "design,replication,task,job,operations,busy_ns,spinning_ns,sleeping_ns,io_ns,"
            + "runnable_ns",
        "synthetic,0,loop,loop,23,240000,0,714000,0,46000",
        "synthetic,1,loop,loop,23,240000,0,714000,0,46000");
  }

  /**
   * A kernel workload (faults against a hole punch, every design): per design and replication
   * the stacks add up to runtime × tasks, each job's to runtime × its tasks, and the wait frames
   * to the tasks' time in each state from {@code tasks.csv}'s sources: spinning in
   * {@code [spin ...]}, sleeping in {@code [wait ...]}, {@code [wait_event ...]} and
   * {@code [sleep]}, I/O in {@code [io ...]}, waking and runnable in {@code [wakeup]} and
   * {@code [runqueue]}. Work inside a design is under its entry function.
   */
  @Test
  void kernelWorkload_everyNanosecondOfEveryTaskChargedOnce() throws Exception {
    Path file = Path.of("..", "workloads", "ext4-punch-vs-faults.yaml");
    Workload w = new WorkloadLoader().load(file, List.of("global.runtime=1ms",
        "replications=1"));
    List<ReplicationResult> runs = Experiment.run(w, 1, null);
    long runtime = w.spec().runtimeNs();
    for (ReplicationResult r : runs) {
      Map<String, Long> perJob = new LinkedHashMap<>();
      long spin = 0;
      long sleep = 0;
      long io = 0;
      long runnable = 0;
      for (Map.Entry<String, Long> e : r.stacks().entrySet()) {
        String[] frames = e.getKey().split(";");
        String top = frames[frames.length - 1];
        perJob.merge(frames[0], e.getValue(), Long::sum);
        if (top.startsWith("[spin ")) {
          spin += e.getValue();
        } else if (top.startsWith("[wait") || top.equals("[sleep]")) {
          sleep += e.getValue();
        } else if (top.startsWith("[io ")) {
          io += e.getValue();
        } else if (top.equals("[wakeup]") || top.equals("[runqueue]")) {
          runnable += e.getValue();
        }
        if (frames.length > 1 && !frames[1].startsWith("[")) {
          assertThat(frames[1]).as(e.getKey()).isIn("do_user_addr_fault", "vfs_fallocate",
              "do_madvise_dontneed");
        }
      }
      List<String> jobs = new ArrayList<>();
      long tasks = 0;
      Map<String, Long> tasksPerJob = new LinkedHashMap<>();
      for (ReplicationResult.TaskTime t : r.tasks()) {
        tasksPerJob.merge(t.job(), 1L, Long::sum);
        tasks++;
        if (!jobs.contains(t.job())) {
          jobs.add(t.job());
        }
      }
      assertThat(tasks).isEqualTo(3);
      // Each operation is counted by the task that completed it: per job, the tasks' counts add
      // up to the job's.
      for (faultsim.run.JobResult j : r.jobs()) {
        assertThat(r.tasks().stream().filter(t -> t.job().equals(j.job()))
            .mapToLong(ReplicationResult.TaskTime::operations).sum())
            .as(r.design() + " " + j.job()).isEqualTo(j.operations());
      }
      for (String job : jobs) {
        assertThat(perJob.get(job)).as(r.design() + " " + job)
            .isEqualTo(runtime * tasksPerJob.get(job));
      }
      assertThat(r.stacks().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(runtime * tasks);
      assertThat(spin).isEqualTo(r.tasks().stream().mapToLong(
          ReplicationResult.TaskTime::spinNs).sum());
      assertThat(sleep).isEqualTo(r.cpu().sleepNs());
      assertThat(io).isEqualTo(r.cpu().ioNs());
      assertThat(runnable).isEqualTo(r.cpu().runnableNs());
    }
    // The punch holds the mapping's invalidate_lock (6.6) or i_mmap_sem (the proposal of 2015)
    // for write while faults wait for it: their waits are named by the lock's class.
    assertThat(runs).flatExtracting(r -> List.copyOf(r.stacks().keySet()))
        .anyMatch(k -> k.endsWith(";filemap_fault;down_read;[wait &mapping->invalidate_lock]"))
        .anyMatch(k -> k.endsWith(";ext4_filemap_fault;down_read;[wait &ei->i_mmap_sem]"));
  }
}
