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

  private static String marker(FunctionDecl d, DesignLevel leaf) {
    if (d.level != leaf) {
      return "/* from " + d.level.name + " */";
    }
    FunctionDecl base = leaf.inAncestors(d.name);
    return base == null ? "/* new */" : "/* overrides " + base.level.name + " */";
  }
}
