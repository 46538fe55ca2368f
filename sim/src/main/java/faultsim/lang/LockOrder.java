package faultsim.lang;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The lock order a design implies, found statically, by lockdep class ({@code &mm->mmap_lock},
 * {@code &mapping->invalidate_lock}, {@code ptlock_ptr(ptdesc)}, {@code PG_locked}, a declared
 * lock's name), whatever variable names the lock. Each function's statements are walked in order
 * with the set of locks held on <em>every</em> path to that point: after an {@code if} the locks
 * both arms hold, after a loop those held both before and after its body, after a call the
 * locks every return of the callee holds. A primitive marked {@link Primitive.LockAction#ACQUIRE}
 * orders every lock so held before the one it takes; a trylock orders nothing (as lockdep).
 * Locks held on only some paths (released on an error path, dropped for a retry) order nothing
 * here, so every order listed is one a real path takes; the run's lock-order oracle checks the
 * orders actually taken, path by path.
 */
final class LockOrder {
  /** The class a lock argument has when it is a parameter: the caller's, by name. */
  static final String PARAM = "\u0000param:";

  private final CompiledDesign design;
  private final SortedMap<String, SortedSet<String>> edges = new TreeMap<>();
  private final Set<FunctionDecl> active = new HashSet<>();
  private final Map<String, Set<String>> memo = new HashMap<>();
  private boolean recording = true;

  private LockOrder(CompiledDesign design) {
    this.design = design;
  }

  /** The orders, {@code A -> B}, sorted: from walking every function no other one calls. */
  static SortedMap<String, SortedSet<String>> of(CompiledDesign design) {
    LockOrder lo = new LockOrder(design);
    for (FunctionDecl d : entryPoints(design)) {
      lo.function(d, new LinkedHashSet<>(), Map.of());
    }
    return lo.edges;
  }

  private static List<FunctionDecl> entryPoints(CompiledDesign design) {
    Set<FunctionDecl> called = new HashSet<>();
    for (FunctionDecl d : design.table().values()) {
      callees(design, d, d.ctx, called);
    }
    List<FunctionDecl> roots = new ArrayList<>();
    for (FunctionDecl d : design.table().values()) {
      if (!called.contains(d)) {
        roots.add(d);
      }
    }
    return roots.isEmpty() ? new ArrayList<>(design.table().values()) : roots;
  }

  private static void callees(CompiledDesign design, FunctionDecl from,
      org.antlr.v4.runtime.tree.ParseTree t, Set<FunctionDecl> out) {
    if (t instanceof DesignParser.CallContext c) {
      FunctionDecl d = design.table().get(c.name.getText());
      if (d != null) {
        out.add(d);
      }
    } else if (t instanceof DesignParser.SuperCallContext c) {
      FunctionDecl d = from.level.inAncestors(c.name.getText());
      if (d != null) {
        out.add(d);
      }
    }
    for (int i = 0; i < t.getChildCount(); i++) {
      callees(design, from, t.getChild(i), out);
    }
  }

  /** Walks {@code d} entered with {@code held}; returns the locks held at every return. */
  private Set<String> function(FunctionDecl d, Set<String> held, Map<String, String> subst) {
    if (active.contains(d)) {
      return held;
    }
    String key = System.identityHashCode(d) + "|" + recording + "|" + subst + "|" + held;
    Set<String> cached = memo.get(key);
    if (cached != null) {
      return new LinkedHashSet<>(cached);
    }
    active.add(d);
    Walk w = new Walk(d, subst);
    Set<String> end = w.statement(d.ctx.block(), new LinkedHashSet<>(held));
    if (end != null) {
      w.exit(end);
    }
    active.remove(d);
    Set<String> exits = w.exits == null ? new LinkedHashSet<>(held) : w.exits;
    memo.put(key, exits);
    return new LinkedHashSet<>(exits);
  }

  /** One function's walk: its parameters' lock classes and the intersection at its returns. */
  private final class Walk {
    private final FunctionDecl fn;
    private final Map<String, String> subst;
    private Set<String> exits;
    private final java.util.ArrayDeque<Loop> loops = new java.util.ArrayDeque<>();

    /** The held sets at a loop's continues and breaks (null: none yet). */
    private static final class Loop {
      Set<String> continues;
      Set<String> breaks;
    }

    Walk(FunctionDecl fn, Map<String, String> subst) {
      this.fn = fn;
      this.subst = subst;
    }

    void exit(Set<String> held) {
      if (exits == null) {
        exits = new LinkedHashSet<>(held);
      } else {
        exits.retainAll(held);
      }
    }

    /**
     * The locks held on every path after {@code s}, entered with {@code held}; null when no
     * path goes on past it (a return, break or continue).
     */
    Set<String> statement(org.antlr.v4.runtime.tree.ParseTree s, Set<String> held) {
      if (s instanceof DesignParser.BlockContext b) {
        for (DesignParser.StatementContext st : b.statement()) {
          held = statement(st, held);
          if (held == null) {
            return null;
          }
        }
        return held;
      }
      if (s instanceof DesignParser.BlockStmtContext b) {
        return statement(b.block(), held);
      }
      if (s instanceof DesignParser.LocalDeclContext l) {
        return l.init == null ? held : expr(l.init, held);
      }
      if (s instanceof DesignParser.IfStmtContext i) {
        held = expr(i.cond, held);
        Set<String> then = statement(i.then, new LinkedHashSet<>(held));
        Set<String> other = i.other == null ? held : statement(i.other, new LinkedHashSet<>(held));
        return meet(then, other);
      }
      if (s instanceof DesignParser.WhileStmtContext w) {
        boolean forever = w.cond.getText().equals("true");
        return loop(held, w.cond, w.body, forever);
      }
      if (s instanceof DesignParser.ForStmtContext f) {
        held = expr(f.source, held);
        return loop(held, null, f.body, false);
      }
      if (s instanceof DesignParser.ReturnStmtContext r) {
        if (r.value != null) {
          held = expr(r.value, held);
        }
        exit(held);
        return null;
      }
      if (s instanceof DesignParser.BreakStmtContext && !loops.isEmpty()) {
        loops.peek().breaks = meet(loops.peek().breaks, new LinkedHashSet<>(held));
        return null;
      }
      if (s instanceof DesignParser.ContinueStmtContext && !loops.isEmpty()) {
        loops.peek().continues = meet(loops.peek().continues, new LinkedHashSet<>(held));
        return null;
      }
      if (s instanceof DesignParser.ExprStmtContext e) {
        held = expr(e.target, held);
        return e.value == null ? held : expr(e.value, held);
      }
      return held;
    }

    /**
     * A loop: the body is walked once without recording orders to find the locks held at the
     * top of every iteration (held on entry, at each continue and at the end of the body), then
     * again from those, recording. After it: the locks held at every break and, unless it is a
     * {@code while (true)}, at the top.
     */
    private Set<String> loop(Set<String> entry, DesignParser.ExprContext cond,
        org.antlr.v4.runtime.tree.ParseTree body, boolean forever) {
      boolean was = recording;
      recording = false;
      Loop probe = new Loop();
      loops.push(probe);
      Set<String> top = cond == null ? entry : expr(cond, new LinkedHashSet<>(entry));
      Set<String> end = statement(body, new LinkedHashSet<>(top));
      loops.pop();
      recording = was;
      top = meet(meet(new LinkedHashSet<>(entry), probe.continues), end);
      Loop real = new Loop();
      loops.push(real);
      Set<String> atTop = cond == null ? new LinkedHashSet<>(top)
          : expr(cond, new LinkedHashSet<>(top));
      statement(body, new LinkedHashSet<>(atTop));
      loops.pop();
      return forever ? real.breaks : meet(real.breaks, atTop);
    }

    /** Walks an expression's calls left to right. */
    Set<String> expr(org.antlr.v4.runtime.tree.ParseTree e, Set<String> held) {
      if (e instanceof DesignParser.CallContext c) {
        List<DesignParser.ExprContext> args = c.args() == null ? List.of() : c.args().expr();
        for (DesignParser.ExprContext a : args) {
          held = expr(a, held);
        }
        FunctionDecl target = design.table().get(c.name.getText());
        return target != null ? call(target, c.name, held) : primitive(c, held);
      }
      if (e instanceof DesignParser.SuperCallContext c) {
        List<DesignParser.ExprContext> args = c.args() == null ? List.of() : c.args().expr();
        for (DesignParser.ExprContext a : args) {
          held = expr(a, held);
        }
        FunctionDecl target = fn.level.inAncestors(c.name.getText());
        return target == null ? held : call(target, c.name, held);
      }
      for (int i = 0; i < e.getChildCount(); i++) {
        held = expr(e.getChild(i), held);
      }
      return held;
    }

    private Set<String> call(FunctionDecl target, org.antlr.v4.runtime.Token at,
        Set<String> held) {
      Map<String, String> inner = new HashMap<>();
      List<String> classes = fn.argClasses.getOrDefault(at, List.of());
      for (int i = 0; i < classes.size() && i < target.paramNames.size(); i++) {
        String c = resolve(classes.get(i));
        if (c != null) {
          inner.put(target.paramNames.get(i), c);
        }
      }
      return function(target, held, inner);
    }

    private Set<String> primitive(DesignParser.CallContext c, Set<String> held) {
      List<String> classes = fn.lockSites.get(c);
      if (classes == null) {
        return held;
      }
      Primitive p = null;
      for (Primitive q : design.host().primitives(c.name.getText())) {
        if (q.lockEffects().size() == classes.size()) {
          p = q;
          break;
        }
      }
      if (p == null) {
        return held;
      }
      for (int i = 0; i < classes.size(); i++) {
        String lock = resolve(classes.get(i));
        if (lock == null) {
          continue;
        }
        switch (p.lockEffects().get(i).action()) {
          case ACQUIRE -> {
            for (String h : recording ? held : Set.<String>of()) {
              if (!h.equals(lock)) {
                edges.computeIfAbsent(h, k -> new TreeSet<>()).add(lock);
              }
            }
            held.add(lock);
          }
          case TRY_ACQUIRE -> held.add(lock);
          case RELEASE -> held.remove(lock);
        }
      }
      return held;
    }

    /** A class, a parameter's replaced by the caller's (null if the caller's is unknown). */
    private String resolve(String c) {
      if (c == null || !c.startsWith(PARAM)) {
        return c;
      }
      return subst.get(c.substring(PARAM.length()));
    }
  }

  /** The locks held on both of two paths; a null path (none goes on) contributes nothing. */
  private static Set<String> meet(Set<String> a, Set<String> b) {
    if (a == null) {
      return b == null ? null : new LinkedHashSet<>(b);
    }
    if (b != null) {
      a.retainAll(b);
    }
    return a;
  }

  /** The pairs, {@code A -> B}, sorted. */
  static List<String> lines(CompiledDesign design) {
    List<String> out = new ArrayList<>();
    of(design).forEach((a, bs) -> bs.forEach(b -> out.add(a + " -> " + b)));
    return out;
  }

  /**
   * The cycles among the orders, each as {@code A -> B -> ... -> A} starting from its smallest
   * class, sorted; one per set of classes.
   */
  static List<String> cycles(CompiledDesign design) {
    SortedMap<String, SortedSet<String>> g = of(design);
    SortedSet<String> found = new TreeSet<>();
    Set<String> seen = new HashSet<>();
    for (String start : g.keySet()) {
      List<String> path = new ArrayList<>();
      path.add(start);
      search(g, start, path, found, seen);
    }
    return new ArrayList<>(found);
  }

  private static void search(SortedMap<String, SortedSet<String>> g, String start,
      List<String> path, SortedSet<String> found, Set<String> seen) {
    String last = path.get(path.size() - 1);
    for (String next : g.getOrDefault(last, new TreeSet<>())) {
      if (next.equals(start)) {
        TreeSet<String> members = new TreeSet<>(path);
        if (members.first().equals(start) && seen.add(members.toString())) {
          found.add(String.join(" -> ", path) + " -> " + start);
        }
      } else if (!path.contains(next) && next.compareTo(start) > 0) {
        path.add(next);
        search(g, start, path, found, seen);
        path.remove(path.size() - 1);
      }
    }
  }
}
