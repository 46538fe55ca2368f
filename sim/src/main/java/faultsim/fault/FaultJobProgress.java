package faultsim.fault;

import faultsim.engine.Engine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the fault jobs of one run have done: pages touched while measuring, and, for jobs with
 * fixed work ({@link FaultWork#fixed()}), when their first task started and their last task
 * finished its work. When the last task with fixed work finishes, the run ends (the engine
 * stops after the current event), whatever the jobs without fixed work are doing.
 */
final class FaultJobProgress {
  /** One fault job's counts. */
  static final class Job {
    private final boolean fixed;
    private long touches;
    private long firstStartNs = -1;
    private long lastEndNs = -1;
    private int unfinished;

    private Job(boolean fixed) {
      this.fixed = fixed;
    }

    /** Pages touched since measuring started. */
    long touches() {
      return touches;
    }
  }

  private final Engine engine;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private int unfinishedTasks;

  FaultJobProgress(Engine engine) {
    this.engine = engine;
  }

  /** Adds a job of {@code tasks} tasks. */
  Job add(String name, int tasks, boolean fixed) {
    Job j = new Job(fixed);
    if (fixed) {
      j.unfinished = tasks;
      unfinishedTasks += tasks;
    }
    jobs.put(name, j);
    return j;
  }

  /** Whether any job has fixed work: then the run ends when it is done. */
  boolean anyFixed() {
    return jobs.values().stream().anyMatch(j -> j.fixed);
  }

  /** Whether every task with fixed work has finished it. */
  boolean done() {
    return unfinishedTasks == 0;
  }

  /** A task of {@code j} runs for the first time. */
  void started(Job j) {
    if (j.firstStartNs < 0) {
      j.firstStartNs = engine.now();
    }
  }

  /** A task of {@code j} touched a page. */
  void touched(Job j) {
    j.touches++;
  }

  /** A task of {@code j} finished its fixed work. */
  void finished(Job j) {
    j.lastEndNs = engine.now();
    j.unfinished--;
    if (--unfinishedTasks == 0) {
      engine.stop();
    }
  }

  /** Measuring starts: touches are counted from now. */
  void resetCounts() {
    for (Job j : jobs.values()) {
      j.touches = 0;
    }
  }

  /**
   * Each fault job's {@code pages_touched} and {@code page_throughput} (pages touched per second
   * of the {@code measuredNs} measured), and for a job with fixed work its {@code elapsed}: from
   * its first task's start to its last task's end of work, or to now if the run ended first.
   */
  Map<String, Double> metrics(String name, long measuredNs) {
    Job j = jobs.get(name);
    Map<String, Double> m = new LinkedHashMap<>();
    if (j == null) {
      return m;
    }
    m.put(PAGES_TOUCHED, (double) j.touches);
    m.put(PAGE_THROUGHPUT, measuredNs == 0 ? 0 : j.touches * 1e9 / measuredNs);
    if (j.fixed) {
      long end = j.unfinished == 0 ? j.lastEndNs : engine.now();
      m.put(ELAPSED, j.firstStartNs < 0 ? 0 : (double) (end - j.firstStartNs));
    }
    return m;
  }

  static final String PAGES_TOUCHED = "pages_touched";
  static final String PAGE_THROUGHPUT = "page_throughput";
  static final String ELAPSED = "elapsed";
}
