package faultsim.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import faultsim.lang.SourceText;
import faultsim.results.ResultsDirectory;
import faultsim.results.Version;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a sweep point's results were made from, so a resumed sweep runs again every point whose
 * inputs changed: the faultsim version, the SHA-256 of the resolved workload (the file with the
 * point's overrides applied, as the manifest records it), the seed, and the SHA-256 of each
 * design's source files along its {@code extends} chain. It is kept in the point's
 * {@code manifest.json} under {@value #FIELD}.
 */
public final class PointKey {
  /** The manifest field holding the key. */
  public static final String FIELD = "point_key";

  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private PointKey() {}

  /** The key of a point whose resolved workload is {@code w}. */
  public static Map<String, String> of(Workload w) throws InputException, IOException {
    Map<String, String> key = new LinkedHashMap<>();
    key.put("faultsim_version", Version.get());
    key.put("workload", RunKey.workloadHash(JSON.writeValueAsString(w.doc())));
    key.put("seed", Long.toString(w.seed()));
    if (w.hasKernelJobs()) {
      for (faultsim.fault.Designs.Labelled d : faultsim.fault.Designs.labelled(w)) {
        StringBuilder text = new StringBuilder();
        for (SourceText st : d.design().source()) {
          text.append(st.design()).append('\0').append(st.text()).append('\0');
        }
        key.put("design " + d.label(), RunKey.workloadHash(text.toString()));
      }
    } else {
      key.put("designs", String.join(",", faultsim.fault.Designs.labels(w)));
    }
    return key;
  }

  /**
   * Why the complete results in {@code pointDir} do not answer {@code key}, or null if they do.
   * Results that are not complete (no sealed results directory) are stale too.
   */
  static String staleness(Path pointDir, Map<String, String> key) throws IOException {
    if (!ResultsDirectory.isSealed(pointDir)) {
      return "its results are not complete";
    }
    JsonNode manifest = JSON.readTree(
        Files.readString(pointDir.resolve("manifest.json"), StandardCharsets.UTF_8));
    JsonNode was = manifest.path(FIELD);
    if (!was.isObject()) {
      return "its manifest does not record what it was made from";
    }
    Map<String, String> old = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = was.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      old.put(e.getKey(), e.getValue().asText());
    }
    if (!key.get("faultsim_version").equals(old.get("faultsim_version"))) {
      return "it was made by faultsim " + old.get("faultsim_version") + ", this is "
          + key.get("faultsim_version");
    }
    for (Map.Entry<String, String> e : key.entrySet()) {
      String before = old.get(e.getKey());
      if (before == null) {
        return e.getKey().startsWith("design ") ? e.getKey() + " was not in it" : "the designs"
            + " changed";
      }
      if (!before.equals(e.getValue())) {
        return switch (e.getKey()) {
          case "workload" -> "the workload changed since it ran";
          case "seed" -> "the seed changed from " + before + " to " + e.getValue();
          case "designs" -> "the designs changed";
          default -> e.getKey() + " changed since it ran";
        };
      }
    }
    if (!old.keySet().equals(key.keySet())) {
      return "the designs changed";
    }
    return null;
  }
}
