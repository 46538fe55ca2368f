package faultsim.workload;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of {@code designs:} as written: a design's name or path, or a mapping
 * {@code {design: NAME_OR_PATH, as: LABEL, set: {key.path: value, ...}}} that runs the design
 * under its own settings and reports it as {@code LABEL}. A plain entry is written back as the
 * plain string, so the resolved workload of a file without mappings reads as before.
 *
 * @param design the built-in design's name or the design file's path
 * @param as the label results use, or null for the design's own name
 * @param set overrides applied to this design's runs only, as {@code --set} keys
 */
public record DesignDoc(
    @Doc("The design: a built-in name or a design file path.") String design,
    @Doc("The label of this entry in every result (summary.csv, lock_stat/<label>.txt, charts,"
        + " verdict); labels must be unique (default: the design's name).") String as,
    @Doc("Settings for this entry's runs only, as --set keys: kernel.* and machine.* (the jobs"
        + " and files stay those of the workload, so entries are paired on the same random"
        + " numbers).") Map<String, String> set) {

  /** A plain entry: the design's name or path. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static DesignDoc of(String design) {
    return new DesignDoc(design, null, null);
  }

  /** The entry as written: a string when it is plain, else a mapping of its given keys. */
  @JsonValue
  public Object written() {
    if (as == null && set == null) {
      return design;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("design", design);
    if (as != null) {
      m.put("as", as);
    }
    if (set != null) {
      m.put("set", set);
    }
    return m;
  }
}
