package faultsim.workload;

import faultsim.fault.KernelSpec;
import faultsim.synthetic.SyntheticSpec;
import java.util.List;

/**
 * A resolved workload: every default applied, every value checked and converted.
 *
 * @param name the workload's name (its results directory)
 * @param file the path it was read from, as given
 * @param sourceText the file's text
 * @param description the file's leading comment: the question it asks
 * @param doc the file as bound, after command-line overrides
 * @param spec the machine, synthetic locks, devices and jobs
 * @param kernel files and the jobs that run through a design
 * @param designs the designs to compare, each with its label and settings; {@code [synthetic]}
 *     for a purely synthetic workload
 * @param replications replications per design: exactly these when {@code precision} is 0,
 *     else the first of them
 * @param seed the base random seed
 * @param precision the relative precision replications are added for (see {@link #rule}), or 0
 *     for exactly {@code replications}
 * @param maxReplications the most replications precision may run
 */
public record Workload(
    String name,
    String file,
    String sourceText,
    String description,
    WorkloadDoc doc,
    SyntheticSpec spec,
    KernelSpec kernel,
    List<DesignEntry> designs,
    int replications,
    long seed,
    double precision,
    int maxReplications) {

  /** Replications run at least when they are chosen by precision. */
  public static final int MIN_REPLICATIONS = 5;

  /** The most replications precision runs unless the workload says otherwise. */
  public static final int DEFAULT_MAX_REPLICATIONS = 20;

  /** The relative precision asked of throughput unless the workload gives replications. */
  public static final double DEFAULT_PRECISION = 0.02;

  /** The confidence level of the precision rule and of every interval reported. */
  public static final double CONFIDENCE = 0.99;

  /** With exactly {@code replications}: the same workload with precision 0. */
  public Workload(String name, String file, String sourceText, String description,
      WorkloadDoc doc, SyntheticSpec spec, KernelSpec kernel, List<DesignEntry> designs,
      int replications, long seed) {
    this(name, file, sourceText, description, doc, spec, kernel, designs, replications, seed, 0,
        replications);
  }

  /** The rule that picks the number of replications, or null when it is fixed. */
  public faultsim.stats.SequentialRule rule() {
    return precision == 0 ? null : new faultsim.stats.SequentialRule(precision, CONFIDENCE,
        replications, Math.max(replications, maxReplications));
  }

  /** The design a workload with kernel jobs runs when it names none. */
  public static final String DEFAULT_DESIGN = "linux_6_6";

  /** Whether a design runs: the workload has fault or operation jobs. */
  public boolean hasKernelJobs() {
    return !kernel.empty();
  }

  /** Every random stream the workload draws from, in a fixed order independent of designs. */
  public List<String> streamNames() {
    List<String> names = new java.util.ArrayList<>(spec.streamNames());
    names.addAll(kernel.streamNames());
    return names;
  }

  /** The directory relative design paths are resolved against. */
  public java.nio.file.Path baseDir() {
    return baseDir(file);
  }

  /** The directory of workload file {@code file}, against which its design paths resolve. */
  public static java.nio.file.Path baseDir(String file) {
    java.nio.file.Path p = java.nio.file.Path.of(file).toAbsolutePath().getParent();
    return p == null ? java.nio.file.Path.of(".") : p;
  }


  /** The design name a workload without kernel jobs runs under. */
  public static final String SYNTHETIC = "synthetic";
}
