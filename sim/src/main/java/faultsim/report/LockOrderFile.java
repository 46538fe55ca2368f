package faultsim.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import faultsim.results.ResultsWriter;
import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A results directory's {@code lock_order.csv}: the lock order each design's runs took.
 *
 * @param pairs {@code "A -> B"} to the number of replications that took it
 * @param replications the replications each design ran
 */
public record LockOrderFile(SortedMap<String, Long> pairs, long replications) {

  /**
   * The lock order runs of {@code design} took in the results directory {@code dir}.
   *
   * @throws InputException naming {@code dir} when it is not a results directory with a lock
   *     order, or did not run the design
   */
  public static LockOrderFile read(Path dir, String design) throws InputException, IOException {
    Path file = dir.resolve(ResultsWriter.LOCK_ORDER_CSV);
    Path manifest = dir.resolve("manifest.json");
    if (!Files.isRegularFile(manifest) || !Files.isRegularFile(file)) {
      throw bad(dir, "no " + (Files.isRegularFile(manifest) ? ResultsWriter.LOCK_ORDER_CSV
          : "manifest.json") + "; expected the results directory of a run, written by this"
          + " version of faultsim");
    }
    JsonNode m = new ObjectMapper().readTree(manifest.toFile());
    List<String> designs = new ArrayList<>();
    for (JsonNode d : m.path("designs")) {
      designs.add(d.path("name").asText());
    }
    if (!designs.contains(design)) {
      throw bad(dir, "the run has no design " + design + "; it ran "
          + String.join(", ", designs));
    }
    SortedMap<String, Long> out = new TreeMap<>();
    for (CsvTable.Row r : CsvTable.read(file).rows()) {
      if (r.get("design").equals(design)) {
        out.put(r.get("from") + " -> " + r.get("to"), r.integer("replications"));
      }
    }
    return new LockOrderFile(out, m.path("replications").asLong());
  }

  private static InputException bad(Path dir, String why) {
    return new InputException(new Diagnostic(dir.toString(), 0, 0, why));
  }
}
