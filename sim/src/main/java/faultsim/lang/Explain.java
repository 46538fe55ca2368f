package faultsim.lang;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code faultsim explain}: a design's resolved program, every function after extends printed
 * from its source and marked {@code from}, {@code overrides} or {@code new}, followed by the lock
 * order it implies ({@link LockOrder}).
 */
final class Explain {
  private Explain() {}

  static String render(CompiledDesign design) {
    StringBuilder sb = new StringBuilder();
    DesignLevel leaf = design.leaf();
    sb.append("design ").append(leaf.name);
    if (leaf.parent != null) {
      sb.append(" extends ").append(leaf.parent.name);
    }
    sb.append(";\n");
    if (leaf.parent != null && leaf.parent.parent != null) {
      sb.append("// chain:");
      for (DesignLevel l = leaf; l != null; l = l.parent) {
        sb.append(l == leaf ? " " : " <- ").append(l.name);
      }
      sb.append('\n');
    }
    Set<String> printed = new HashSet<>();
    for (DesignLevel level : design.levels()) {
      for (String name : level.functions.keySet()) {
        if (!printed.add(name)) {
          continue;
        }
        FunctionDecl d = design.table().get(name);
        sb.append('\n').append(marker(d, leaf)).append('\n');
        sb.append(d.level.source.textOf(d.ctx)).append('\n');
      }
    }
    List<String> order = LockOrder.lines(design);
    sb.append('\n');
    if (order.isEmpty()) {
      sb.append("lock order implied: none\n");
      return sb.toString();
    }
    sb.append("lock order implied (lockdep classes; A -> B: B taken with A held on every path"
        + " there):\n");
    for (String pair : order) {
      sb.append("  ").append(pair).append('\n');
    }
    List<String> cycles = LockOrder.cycles(design);
    if (cycles.isEmpty()) {
      sb.append("cycles: none\n");
    } else {
      sb.append("cycles (possible deadlocks; the oracle reports those a run takes, with both"
          + " chains):\n");
      for (String c : cycles) {
        sb.append("  ").append(c).append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * The lock order a run took beside the one the design implies: the pairs observed, with the
   * replications that took each, then the implied pairs no replication took (paths the
   * workload did not exercise) and the observed pairs the static order lacks (it holds only the
   * orders taken on every path to a call, so a lock taken on some paths only is missing).
   */
  static String observed(CompiledDesign design, java.util.SortedMap<String, Long> pairs,
      long replications, String where) {
    StringBuilder sb = new StringBuilder();
    sb.append("\nlock order observed in ").append(where).append(" (").append(replications)
        .append(replications == 1 ? " replication" : " replications")
        .append("; A -> B: B taken or waited for with A held):\n");
    if (pairs.isEmpty()) {
      sb.append("  none: no run of this design held one lock while taking another\n");
    }
    pairs.forEach((pair, n) -> sb.append("  ").append(pair).append("  (").append(n)
        .append(" of ").append(replications).append(")\n"));
    Set<String> implied = new java.util.LinkedHashSet<>(LockOrder.lines(design));
    List<String> notTaken = implied.stream().filter(p -> !pairs.containsKey(p)).toList();
    List<String> notImplied = pairs.keySet().stream().filter(p -> !implied.contains(p)).toList();
    section(sb, "implied but not taken by these runs", notTaken);
    section(sb, "taken but not implied (orders of some paths only; the static order keeps those"
        + " of every path)", notImplied);
    return sb.toString();
  }

  private static void section(StringBuilder sb, String title, List<String> pairs) {
    sb.append(title).append(pairs.isEmpty() ? ": none" : ":").append('\n');
    for (String p : pairs) {
      sb.append("  ").append(p).append('\n');
    }
  }

  private static String marker(FunctionDecl d, DesignLevel leaf) {
    if (d.level != leaf) {
      return "/* from " + d.level.name + " */";
    }
    FunctionDecl base = leaf.inAncestors(d.name);
    return base == null ? "/* new */" : "/* overrides " + base.level.name + " */";
  }
}
