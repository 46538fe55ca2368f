package faultsim.workload;

import java.util.List;

/**
 * One design a workload runs, resolved: what to load, what to call it, and the settings its runs
 * use. Entries with settings are paired with the others as designs are: replication {@code r}
 * of every entry draws from substream {@code r} of the same streams, since settings may change
 * only the machine and the kernel's tunables, never the tasks.
 *
 * @param design the built-in design's name or the design file's path, as given
 * @param as the label given with {@code as:}, or null: then results use the design's own name
 * @param sets the entry's own overrides, {@code key.path=value}, in the order written
 * @param settings the workload resolved with those overrides, or null when there are none
 * @param at where the entry is written, for messages about it (its message is empty)
 */
public record DesignEntry(String design, String as, List<String> sets, Workload settings,
    Diagnostic at) {
  public DesignEntry {
    sets = List.copyOf(sets);
  }

  /** A plain entry: a design by name or path, without settings, written nowhere in particular. */
  public static DesignEntry of(String design) {
    return new DesignEntry(design, null, List.of(), null, new Diagnostic(design, 0, 0, ""));
  }

  /** The workload this entry's runs use: {@code base} with the entry's settings, if any. */
  public Workload workload(Workload base) {
    return settings == null ? base : settings;
  }

  /** An error about this entry, at its place. */
  public InputException error(String message) {
    return new InputException(new Diagnostic(at.file(), at.line(), at.column(), message));
  }
}
