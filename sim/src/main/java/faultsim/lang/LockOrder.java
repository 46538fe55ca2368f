package faultsim.lang;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lock order a design implies, found statically: each function's statements are walked in
 * order with the set of locks held (lock expressions as written, {@code &} dropped), following
 * calls into design functions with their parameters replaced by the caller's argument text. A
 * primitive marked {@link Primitive.LockAction#ACQUIRE} adds an edge from every lock held to the
 * one it takes; a trylock takes it without an edge (as lockdep). Branches are not exclusive
 * here: after an {@code if}, the locks held are the union of both arms'.
 */
final class LockOrder {
  private static final Pattern LEADING_NAME = Pattern.compile("^[A-Za-z_][A-Za-z_0-9]*");

  private final CompiledDesign design;
  private final SortedSet<String> edges = new TreeSet<>();
  private final Set<FunctionDecl> active = new HashSet<>();
  private final Map<String, Set<String>> memo = new HashMap<>();

  private LockOrder(CompiledDesign design) {
    this.design = design;
  }

  /**
   * {@code "A -> B"} pairs, sorted, from walking every entry point: each function no other
   * function calls (or every function, if all are called).
   */
  static SortedSet<String> of(CompiledDesign design) {
    LockOrder lo = new LockOrder(design);
    for (FunctionDecl d : entryPoints(design)) {
      lo.function(d, new LinkedHashSet<>(), Map.of());
    }
    return lo.edges;
  }

  private static List<FunctionDecl> entryPoints(CompiledDesign design) {
    Set<FunctionDecl> called = new HashSet<>();
    List<FunctionDecl> work = new ArrayList<>(design.table().values());
    Set<FunctionDecl> seen = new HashSet<>(work);
    while (!work.isEmpty()) {
      FunctionDecl d = work.remove(work.size() - 1);
      for (FunctionDecl callee : callees(design, d, d.ctx)) {
        called.add(callee);
        if (seen.add(callee)) {
          work.add(callee);
        }
      }
    }
    List<FunctionDecl> roots = new ArrayList<>();
    for (FunctionDecl d : design.table().values()) {
      if (!called.contains(d)) {
        roots.add(d);
      }
    }
    return roots.isEmpty() ? new ArrayList<>(design.table().values()) : roots;
  }

  private static List<FunctionDecl> callees(CompiledDesign design, FunctionDecl from,
      org.antlr.v4.runtime.tree.ParseTree t) {
    List<FunctionDecl> out = new ArrayList<>();
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
      out.addAll(callees(design, from, t.getChild(i)));
    }
    return out;
  }

  /** Walks {@code d} entered with {@code held}; returns the locks held when it returns. */
  private Set<String> function(FunctionDecl d, Set<String> held, Map<String, String> subst) {
    if (active.contains(d)) {
      return held;
    }
    String key = System.identityHashCode(d) + "|" + subst + "|" + held;
    Set<String> cached = memo.get(key);
    if (cached != null) {
      return new LinkedHashSet<>(cached);
    }
    active.add(d);
    Walk w = new Walk(d, subst);
    Set<String> end = w.statement(d.ctx.block(), new LinkedHashSet<>(held));
    w.exits.addAll(end);
    active.remove(d);
    memo.put(key, new LinkedHashSet<>(w.exits));
    return new LinkedHashSet<>(w.exits);
  }

  /** One function's walk: its parameter substitution and the union of held sets at returns. */
  private final class Walk {
    private final FunctionDecl fn;
    private final Map<String, String> subst;
    private final Set<String> exits = new LinkedHashSet<>();

    Walk(FunctionDecl fn, Map<String, String> subst) {
      this.fn = fn;
      this.subst = subst;
    }

    Set<String> statement(org.antlr.v4.runtime.tree.ParseTree s, Set<String> held) {
      if (s instanceof DesignParser.BlockContext b) {
        for (DesignParser.StatementContext st : b.statement()) {
          held = statement(st, held);
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
        then.addAll(other);
        return then;
      }
      if (s instanceof DesignParser.WhileStmtContext w) {
        held = expr(w.cond, held);
        Set<String> after = statement(w.body, new LinkedHashSet<>(held));
        after.addAll(held);
        return after;
      }
      if (s instanceof DesignParser.ForStmtContext f) {
        held = expr(f.source, held);
        Set<String> after = statement(f.body, new LinkedHashSet<>(held));
        after.addAll(held);
        return after;
      }
      if (s instanceof DesignParser.ReturnStmtContext r) {
        if (r.value != null) {
          held = expr(r.value, held);
        }
        exits.addAll(held);
        return held;
      }
      if (s instanceof DesignParser.ExprStmtContext e) {
        held = expr(e.target, held);
        return e.value == null ? held : expr(e.value, held);
      }
      return held;
    }

    /** Walks an expression's calls left to right. */
    Set<String> expr(org.antlr.v4.runtime.tree.ParseTree e, Set<String> held) {
      if (e instanceof DesignParser.CallContext c) {
        List<DesignParser.ExprContext> args = c.args() == null ? List.of() : c.args().expr();
        for (DesignParser.ExprContext a : args) {
          held = expr(a, held);
        }
        FunctionDecl target = design.table().get(c.name.getText());
        return target != null ? call(target, args, held)
            : primitive(c.name.getText(), args, held);
      }
      if (e instanceof DesignParser.SuperCallContext c) {
        List<DesignParser.ExprContext> args = c.args() == null ? List.of() : c.args().expr();
        for (DesignParser.ExprContext a : args) {
          held = expr(a, held);
        }
        FunctionDecl target = fn.level.inAncestors(c.name.getText());
        return target == null ? held : call(target, args, held);
      }
      for (int i = 0; i < e.getChildCount(); i++) {
        held = expr(e.getChild(i), held);
      }
      return held;
    }

    private Set<String> call(FunctionDecl target, List<DesignParser.ExprContext> args,
        Set<String> held) {
      Map<String, String> inner = new HashMap<>();
      for (int i = 0; i < args.size() && i < target.paramNames.size(); i++) {
        inner.put(target.paramNames.get(i), text(args.get(i)));
      }
      return function(target, held, inner);
    }

    private Set<String> primitive(String name, List<DesignParser.ExprContext> args,
        Set<String> held) {
      for (Primitive p : design.host().primitives(name)) {
        if (p.params().size() != args.size()) {
          continue;
        }
        for (Primitive.LockEffect effect : p.lockEffects()) {
          String lock = text(args.get(effect.arg()));
          switch (effect.action()) {
            case ACQUIRE -> {
              for (String h : held) {
                if (!h.equals(lock)) {
                  edges.add(h + " -> " + lock);
                }
              }
              held.add(lock);
            }
            case TRY_ACQUIRE -> held.add(lock);
            case RELEASE -> held.remove(lock);
          }
        }
        break;
      }
      return held;
    }

    /** The lock expression as written, without '&' and parentheses, parameters replaced. */
    private String text(DesignParser.ExprContext e) {
      while (true) {
        if (e instanceof DesignParser.UnaryExprContext u && u.op.getText().equals("&")) {
          e = u.expr();
        } else if (e instanceof DesignParser.PrimaryExprContext p
            && p.primary() instanceof DesignParser.ParensContext par) {
          e = par.expr();
        } else {
          break;
        }
      }
      String s = e.getText();
      Matcher m = LEADING_NAME.matcher(s);
      if (m.find()) {
        String replacement = subst.get(m.group());
        if (replacement != null) {
          return replacement + s.substring(m.end());
        }
      }
      return s;
    }
  }

  /** The pairs as a list, sorted. */
  static List<String> lines(CompiledDesign design) {
    return new ArrayList<>(of(design));
  }
}
