package faultsim.workload;

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
 * @param spec what is simulated
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
    List<String> designs,
    int replications,
    long seed) {

  /** The design name a workload without kernel jobs runs under. */
  public static final String SYNTHETIC = "synthetic";
}
