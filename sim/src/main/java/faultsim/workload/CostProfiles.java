package faultsim.workload;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code machine: {profile: FILE}}: a cost profile, as {@code faultsim calibrate} writes it, read
 * into the workload. The file holds {@code machine: {costs: {...}}} and/or {@code kernel: {costs:
 * {...}}} and nothing else; each of its costs applies where neither the workload nor a
 * {@code --set} gives that cost, and a message about a value that came from it names the
 * profile's line and column.
 */
final class CostProfiles {
  private CostProfiles() {}

  /** The cost keys a profile may hold: those of {@code machine.costs}. */
  static Set<String> costKeys() {
    Set<String> keys = new LinkedHashSet<>();
    for (var c : WorkloadDoc.CostsDoc.class.getRecordComponents()) {
      keys.add(new com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy()
          .translate(c.getName()));
    }
    return keys;
  }

  /**
   * Merges the profile {@code root} names, if any, into {@code root}; records in
   * {@code overridden} where each merged value came from.
   */
  static void merge(ObjectNode root, String workloadFile, Map<String, JsonLocation> workloadAt,
      Map<String, Diagnostic> overridden, YAMLMapper mapper) throws InputException {
    JsonNode machine = root.get("machine");
    JsonNode named = machine == null ? null : machine.get("profile");
    if (named == null || named.isNull()) {
      return;
    }
    Diagnostic at = where(workloadFile, workloadAt, "/machine/profile", overridden);
    if (!named.isTextual() || named.asText().isBlank()) {
      throw new InputException(new Diagnostic(at.file(), at.line(), at.column(),
          "machine.profile: expected the path of a cost profile file"));
    }
    Path file = Workload.baseDir(workloadFile).resolve(named.asText());
    if (!Files.exists(file)) {
      throw new InputException(new Diagnostic(at.file(), at.line(), at.column(),
          "machine.profile: no file " + file + " (a profile path is relative to the workload"
              + " file)"));
    }
    String name = file.toString();
    String text = TextFiles.read(file, "cost profile", WorkloadLoader.MAX_FILE_BYTES);
    Map<String, JsonLocation> profileAt = new WorkloadLoader().locations(name, text);
    JsonNode tree;
    try {
      tree = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InputException(new Diagnostic(name, 1, 1, "not YAML: "
          + e.getOriginalMessage()));
    }
    if (!(tree instanceof ObjectNode top)
        || !(top.get("machine") instanceof ObjectNode || top.get("kernel") instanceof ObjectNode)) {
      throw new InputException(new Diagnostic(name, 1, 1, "a cost profile holds machine:"
          + " {costs: {...}} and/or kernel: {costs: {...}}, as faultsim calibrate writes it"));
    }
    for (Iterator<String> it = top.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("machine") && !k.equals("kernel")) {
        throw located(name, profileAt, "/" + k, "a cost profile holds only machine.costs and"
            + " kernel.costs; found '" + k + "'");
      }
    }
    mergeSection(top, "machine", costKeys(), (ObjectNode) machine, name, profileAt, overridden);
    if (top.get("kernel") != null) {
      ObjectNode kernel = root.get("kernel") instanceof ObjectNode k ? k
          : root.putObject("kernel");
      mergeSection(top, "kernel", faultsim.fault.KernelCosts.keys(), kernel, name, profileAt,
          overridden);
    }
  }

  /** Merges the profile's {@code section.costs} into the workload's {@code target} section. */
  private static void mergeSection(ObjectNode top, String section, Set<String> known,
      ObjectNode target, String name, Map<String, JsonLocation> profileAt,
      Map<String, Diagnostic> overridden) throws InputException {
    if (top.get(section) == null) {
      return;
    }
    if (!(top.get(section) instanceof ObjectNode pm)
        || !(pm.get("costs") instanceof ObjectNode costs)) {
      throw located(name, profileAt, "/" + section, "a cost profile's " + section + ": holds"
          + " costs: {...}");
    }
    refuseOthers(pm, "costs", name, profileAt, "/" + section + "/");
    ObjectNode into = target.with("costs");
    for (Iterator<Map.Entry<String, JsonNode>> it = costs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String pointer = "/" + section + "/costs/" + e.getKey();
      if (!known.contains(e.getKey())) {
        throw located(name, profileAt, pointer, "unknown cost '"
            + e.getKey() + "'; expected one of " + String.join(", ", known)
            + Suggest.didYouMean(e.getKey(), known));
      }
      if (into.has(e.getKey())) {
        continue;
      }
      into.set(e.getKey(), e.getValue());
      JsonLocation loc = profileAt.get(pointer);
      overridden.put(pointer, loc == null ? new Diagnostic(name, 1, 1, "")
          : new Diagnostic(name, loc.getLineNr(), loc.getColumnNr(), ""));
    }
  }

  private static void refuseOthers(ObjectNode node, String only, String file,
      Map<String, JsonLocation> at, String prefix) throws InputException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals(only)) {
        throw located(file, at, prefix + k, "a cost profile holds only "
            + prefix.substring(1).replace('/', '.') + only + "; found '" + k + "'");
      }
    }
  }

  private static InputException located(String file, Map<String, JsonLocation> at,
      String pointer, String message) {
    JsonLocation loc = at.get(pointer);
    return new InputException(loc == null ? new Diagnostic(file, 1, 1, message)
        : new Diagnostic(file, loc.getLineNr(), loc.getColumnNr(), message));
  }

  private static Diagnostic where(String file, Map<String, JsonLocation> at, String pointer,
      Map<String, Diagnostic> overridden) {
    Diagnostic set = overridden.get(pointer);
    if (set != null) {
      return set;
    }
    JsonLocation loc = at.get(pointer);
    return loc == null ? new Diagnostic(file, 1, 1, "")
        : new Diagnostic(file, loc.getLineNr(), loc.getColumnNr(), "");
  }
}
