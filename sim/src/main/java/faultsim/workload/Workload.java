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
 * @param designs the designs to compare; {@code [synthetic]} for a purely synthetic workload
 * @param replications replications per design
 * @param seed the base random seed
 */
public record Workload(
    String name,
    String file,
    String sourceText,
    String description,
    WorkloadDoc doc,
    SyntheticSpec spec,
    KernelSpec kernel,
    List<String> designs,
    int replications,
    long seed) {

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
