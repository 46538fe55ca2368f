package faultsim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import faultsim.engine.RandomStreams;
import faultsim.results.ResultsWriter;
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
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The checked-in results directory the report tests read ({@link #DIR}), and how it was made:
 * two stand-in designs, each a synthetic workload ({@code fixture-baseline.yaml},
 * {@code fixture-variant.yaml}), run on common random numbers and written as one results
 * directory. Regenerate only on purpose, then review the diff and the goldens:
 * {@code mvn -pl sim test -Dtest=ReportFixture -Dfaultsim.updateFixture=true}.
 */
final class ReportFixture {
  static final Path RESOURCES = Path.of("src", "test", "resources", "faultsim", "report");
  static final Path DIR = RESOURCES.resolve("results");
  static final String BASELINE = "baseline.mmap-lock";
  static final String VARIANT = "variant.long-write-hold";

  /** A copy of the fixture in {@code into}, which a report may be rendered into. */
  static Path copy(Path into) throws java.io.IOException {
    Path dst = into.resolve("results");
    try (var s = Files.walk(DIR)) {
      for (Path p : s.toList()) {
        Path q = dst.resolve(DIR.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
    return dst;
  }

  @Test
  @EnabledIfSystemProperty(named = "faultsim.updateFixture", matches = "true")
  void regenerate() throws Exception {
    WorkloadLoader loader = new WorkloadLoader();
    Workload base = loader.load(RESOURCES.resolve("fixture-baseline.yaml"));
    Workload variant = loader.load(RESOURCES.resolve("fixture-variant.yaml"));
    List<ReplicationResult> runs = new ArrayList<>();
    for (Workload w : List.of(base, variant)) {
      String design = w == base ? BASELINE : VARIANT;
      RandomStreams streams = RandomStreams.create(w.seed(), w.spec().streamNames());
      for (int r = 0; r < w.replications(); r++) {
        runs.add(Experiment.runOne(w, design, null, r, streams.forReplication(r)));
      }
    }
    Workload both = new Workload(base.name(), "fixture-baseline.yaml", base.sourceText(),
        base.description(), base.doc(), base.spec(), base.kernel(),
        List.of(faultsim.workload.DesignEntry.of(BASELINE), faultsim.workload.DesignEntry.of(VARIANT)),
        base.replications(), base.seed());
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("started", "2026-01-01T00:00:00Z");
    info.put("wall_seconds", 0.5);
    info.put("threads", 1);
    ResultsWriter.write(DIR, both, runs, info);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode manifest = (ObjectNode) mapper.readTree(DIR.resolve("manifest.json").toFile());
    var designs = manifest.withArray("designs");
    ((ObjectNode) designs.get(0)).put("source", "// Stand-in for a design program: the"
        + " synthetic steps of\n// fixture-baseline.yaml.\n" + base.sourceText());
    ((ObjectNode) designs.get(1)).put("source", "// Stand-in for a design program: the"
        + " synthetic steps of\n// fixture-variant.yaml.\n" + variant.sourceText());
    Files.writeString(DIR.resolve("manifest.json"),
        mapper.writeValueAsString(manifest) + "\n", StandardCharsets.UTF_8);
  }
}
