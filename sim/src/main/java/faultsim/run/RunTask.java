package faultsim.run;

import faultsim.engine.RandomStreams;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;

/**
 * One replication of one design at one sweep point, as it travels to whoever runs it: the
 * workload text, the file name it is reported under, and the {@link RunKey}. Calling it parses
 * the workload with the key's overrides, runs the replication on its own substreams and returns
 * the result encoded by {@link ResultCodec}, so a run gives the same bytes on any host and in any
 * order.
 */
public final class RunTask implements PoolTask {
  private final RunKey key;
  private final String fileName;
  private final String workloadText;
  /** Set where the task was made, so local runs skip parsing; never sent anywhere. */
  private final Workload resolved;

  /** A task to be run elsewhere: the workload is parsed from its text when it runs. */
  public RunTask(RunKey key, String fileName, String workloadText) {
    this(key, fileName, workloadText, null);
  }

  private RunTask(RunKey key, String fileName, String workloadText, Workload resolved) {
    this.key = key;
    this.fileName = fileName;
    this.workloadText = workloadText;
    this.resolved = resolved;
  }

  /** A task for {@code w}, already resolved with {@code sets}. */
  static RunTask of(Workload w, String hash, java.util.List<String> sets, String design,
      int replication) {
    return new RunTask(new RunKey(hash, sets, design, replication), w.file(), w.sourceText(), w);
  }

  public RunKey key() {
    return key;
  }

  public String fileName() {
    return fileName;
  }

  public String workloadText() {
    return workloadText;
  }

  /** Runs the replication. */
  public ReplicationResult run() throws InputException {
    Workload w = resolved;
    if (w == null) {
      String hash = RunKey.workloadHash(workloadText);
      if (!hash.equals(key.workloadHash())) {
        throw new IllegalArgumentException("workload text of " + fileName + " has hash " + hash
            + ", the run asks for " + key.workloadHash());
      }
      w = new WorkloadLoader().parse(fileName, workloadText, key.sets());
    }
    faultsim.fault.Designs.Labelled d = faultsim.fault.Designs.find(w, key.design());
    if (d == null) {
      throw new IllegalArgumentException("workload " + fileName + " has no design labelled "
          + key.design() + "; designs: " + faultsim.fault.Designs.labels(w));
    }
    RandomStreams streams = Experiment.streams(w).forReplication(key.replication());
    return Experiment.runOne(d.workload(), d.label(), d.design() == null ? null
        : binding(d.design()), key.replication(), streams);
  }

  /**
   * The binding of {@code design} for this task's point: one for all of the point's replications
   * that run in this process, as {@code run} has one per design. A replication that had to be
   * made again with its steps kept (or without running ahead) then spares the point's later
   * replications the attempt, which they would most likely repeat. Keyed by the compiled design
   * too, so that a design file edited during a sweep is run as it now reads.
   */
  private faultsim.fault.KernelRun.Binding binding(faultsim.lang.CompiledDesign design) {
    BindingKey k = new BindingKey(key.workloadHash(), key.sets(), key.design(), design);
    return BINDINGS.computeIfAbsent(k, x -> faultsim.fault.Designs.binding(design));
  }

  /** A point's design, by the compiled design's identity (it defines no equality of its own). */
  private record BindingKey(String workloadHash, java.util.List<String> sets, String label,
      faultsim.lang.CompiledDesign design) {}

  /** The bindings of the points run lately in this process; a sweep runs a few at a time. */
  private static final int BINDINGS_KEPT = 64;
  private static final java.util.Map<BindingKey, faultsim.fault.KernelRun.Binding> BINDINGS =
      faultsim.util.RecentMap.of(BINDINGS_KEPT);

  @Override
  public byte[] call() throws InputException {
    return ResultCodec.encode(run());
  }

  @Override
  public String toString() {
    return "run " + key;
  }
}
