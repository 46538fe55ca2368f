package faultsim.workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves {@code designs:}: each entry's design, label and settings. An entry's settings are
 * {@code --set} keys that may change the machine ({@code machine.*}) and the kernel's tunables
 * ({@code kernel.*}) but nothing that makes or shapes tasks (jobs, files, devices, locks,
 * global), so every entry runs the same tasks on the same random streams and entries are
 * compared replication by replication.
 */
final class DesignEntries {
  /** The key prefixes an entry's {@code set:} may name. */
  static final List<String> SETTABLE = List.of("machine.", "kernel.");

  /** Resolves a workload with extra overrides: the settings of one entry. */
  interface Variants {
    Workload with(List<String> sets, Map<String, Diagnostic> places) throws InputException;
  }

  private final Resolver r;
  private final KernelJobs kernelJobs;

  DesignEntries(Resolver r, KernelJobs kernelJobs) {
    this.r = r;
    this.kernelJobs = kernelJobs;
  }

  /**
   * The entries of {@code docs}, checked; {@code synthetic} when the workload has only
   * synthetic jobs. {@code variants} resolves an entry's settings, or is null when this
   * workload is itself an entry's variant (whose own entries then carry no settings).
   */
  List<DesignEntry> resolve(List<DesignDoc> docs, boolean synthetic, String file,
      Variants variants) throws InputException {
    if (docs != null && docs.isEmpty()) {
      throw r.error("/designs", "designs: the list is empty; name at least one design"
          + " (faultsim designs lists the built-in ones), or leave designs out for the default");
    }
    if (docs == null) {
      return List.of(DesignEntry.of(synthetic ? Workload.SYNTHETIC : Workload.DEFAULT_DESIGN));
    }
    List<DesignEntry> out = new ArrayList<>();
    Map<String, Integer> labels = new HashMap<>();
    for (int i = 0; i < docs.size(); i++) {
      String ptr = "/designs/" + i;
      DesignDoc d = docs.get(i);
      if (d == null || d.design() == null) {
        throw r.error(ptr, "designs[" + i + "]: say which design: a built-in name, a design"
            + " file path, or {design: NAME, as: LABEL, set: {key.path: value}}");
      }
      String name = d.design();
      if (synthetic && !name.equals(Workload.SYNTHETIC)) {
        throw r.error(ptr, "design '" + name + "' not found: this workload has only synthetic"
            + " jobs, which run under the design 'synthetic'");
      }
      if (!synthetic && name.equals(Workload.SYNTHETIC)) {
        throw r.error(ptr, "design 'synthetic' runs only synthetic jobs; this workload has"
            + " fault or operation jobs: name kernel designs (faultsim designs lists them)");
      }
      if (!synthetic) {
        kernelJobs.checkDesignExists(d.as() == null && d.set() == null ? ptr : ptr + "/design",
            name, file);
      }
      if (d.as() != null && !d.as().matches("[A-Za-z0-9][A-Za-z0-9._@-]*")) {
        throw r.error(ptr + "/as", "designs[" + i + "].as: label '" + d.as() + "' must start"
            + " with a letter or digit and may contain only letters, digits and . _ @ -"
            + " (it names files such as lock_stat/<label>.txt)");
      }
      // A path's own name is known once it is compiled; the run checks those labels again.
      String label = d.as() != null ? d.as()
          : faultsim.lang.DesignLibrary.isPath(name) ? null : name;
      if (label != null) {
        Integer earlier = labels.putIfAbsent(label, i);
        if (earlier != null) {
          throw r.error(d.as() != null ? ptr + "/as" : ptr, (d.as() == null && docs.get(earlier)
              .as() == null ? "design '" + label + "' is listed twice"
              : "label '" + label + "' is used twice (designs[" + earlier + "] and designs[" + i
                  + "])") + "; give each entry its own label with as:");
        }
      }
      List<String> sets = new ArrayList<>();
      Map<String, Diagnostic> places = new HashMap<>();
      if (d.set() != null) {
        if (d.set().isEmpty()) {
          throw r.error(ptr + "/set", "designs[" + i + "].set is empty; leave it out, or give"
              + " keys such as kernel.fault_around_bytes: 4k");
        }
        for (Map.Entry<String, String> e : d.set().entrySet()) {
          String kptr = ptr + "/set/" + e.getKey().replace("~", "~0").replace("/", "~1");
          String key = e.getKey();
          if (SETTABLE.stream().noneMatch(key::startsWith)) {
            throw r.error(kptr, "designs[" + i + "].set: '" + key + "' cannot differ between"
                + " designs; an entry may set only machine.* and kernel.* keys (every design runs"
                + " the same jobs and files, so that they are paired on the same random"
                + " numbers); vary other keys with faultsim sweep");
          }
          if (e.getValue() == null) {
            throw r.error(kptr, "designs[" + i + "].set." + key + ": missing value");
          }
          String set = key + "=" + e.getValue();
          sets.add(set);
          places.put(set, r.error(kptr, "").diagnostics().get(0));
        }
      }
      Workload settings = sets.isEmpty() || variants == null ? null
          : variants.with(sets, places);
      out.add(new DesignEntry(name, d.as(), sets, settings, r.error(ptr, "").diagnostics()
          .get(0)));
    }
    return out;
  }
}
