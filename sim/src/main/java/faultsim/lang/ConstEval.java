package faultsim.lang;

import java.util.function.Predicate;

/**
 * Evaluates integer expressions made of literals, host constants and arithmetic at load time, so
 * that {@code exp(1us)} becomes one distribution object built (and checked) once.
 */
final class ConstEval {
  private ConstEval() {}

  /** The value of {@code e}, or null if it is not constant. */
  static Long eval(DesignParser.ExprContext e, Host host, Predicate<String> isLocal) {
    if (e instanceof DesignParser.PrimaryExprContext p) {
      DesignParser.PrimaryContext prim = p.primary();
      if (prim instanceof DesignParser.NumberLitContext n) {
        try {
          return Literals.parse(n.getText());
        } catch (NumberFormatException ex) {
          return null;
        }
      }
      if (prim instanceof DesignParser.ParensContext par) {
        return eval(par.expr(), host, isLocal);
      }
      if (prim instanceof DesignParser.NameRefContext name
          && !isLocal.test(name.name.getText())) {
        return host.constantValue(name.name.getText());
      }
      return null;
    }
    if (e instanceof DesignParser.UnaryExprContext u) {
      Long v = eval(u.expr(), host, isLocal);
      if (v == null) {
        return null;
      }
      return switch (u.op.getText()) {
        case "-" -> -v;
        case "~" -> ~v;
        default -> null;
      };
    }
    if (e instanceof DesignParser.BinaryExprContext b) {
      Long x = eval(b.expr(0), host, isLocal);
      Long y = eval(b.expr(1), host, isLocal);
      if (x == null || y == null) {
        return null;
      }
      return switch (b.op.getText()) {
        case "+" -> x + y;
        case "-" -> x - y;
        case "*" -> x * y;
        case "/" -> y == 0 ? null : x / y;
        case "%" -> y == 0 ? null : x % y;
        case "<<" -> x << y;
        case ">>" -> x >> y;
        case "&" -> x & y;
        case "|" -> x | y;
        case "^" -> x ^ y;
        default -> null;
      };
    }
    return null;
  }
}
