package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.workload.InputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random integer expressions over two parameters: the design interpreter computes what Java's
 * 64-bit arithmetic computes (C precedence once the tree is printed fully parenthesised or not),
 * and a division by zero anywhere is a {@link DesignFault}, never another exception.
 */
final class ExpressionProperties {
  /** An expression tree: its design text and its value for a = A, b = B (null: divides by 0). */
  record Expr(String text, Long value) {}

  private static final long A = 7;
  private static final long B = -3;

  @Provide
  Arbitrary<Expr> expressions() {
    return expr(4);
  }

  private static Arbitrary<Expr> expr(int depth) {
    Arbitrary<Expr> leaf = Arbitraries.oneOf(
        Arbitraries.longs().between(-1000, 1000).map(v -> v < 0
            ? new Expr("(" + v + ")", v) : new Expr(Long.toString(v), v)),
        Arbitraries.of(new Expr("a", A), new Expr("b", B)));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Expr> sub = Arbitraries.lazy(() -> expr(depth - 1));
    Arbitrary<Expr> binary = net.jqwik.api.Combinators.combine(sub, sub,
        Arbitraries.of("+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"))
        .as((l, r, op) -> binary(l, r, op));
    Arbitrary<Expr> unary = net.jqwik.api.Combinators.combine(sub, Arbitraries.of("-", "~"))
        .as((e, op) -> new Expr(op + "(" + e.text + ")",
            e.value == null ? null : op.equals("-") ? -e.value : ~e.value));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, leaf), net.jqwik.api.Tuple.of(4, binary),
        net.jqwik.api.Tuple.of(1, unary));
  }

  private static Expr binary(Expr l, Expr r, String op) {
    String text = "(" + l.text + " " + op + " " + r.text + ")";
    if (l.value == null || r.value == null) {
      return new Expr(text, null);
    }
    long x = l.value;
    long y = r.value;
    Long v = switch (op) {
      case "+" -> x + y;
      case "-" -> x - y;
      case "*" -> x * y;
      case "/" -> y == 0 ? null : x / y;
      case "%" -> y == 0 ? null : x % y;
      case "&" -> x & y;
      case "|" -> x | y;
      case "^" -> x ^ y;
      case "<<" -> x << y;
      default -> x >> y;
    };
    return new Expr(text, v);
  }

  @Property(tries = 200)
  void interpreter_agreesWithJava(@ForAll("expressions") Expr e) throws InputException {
    CompiledDesign d = TestHost.compile(
        "design expr;\nint f(int a, int b) {\n    return " + e.text + ";\n}\n");
    Runs r = Runs.zeroCost();
    if (e.value == null) {
      assertThatThrownBy(() -> r.call(d, "f", A, B)).isInstanceOf(DesignFault.class)
          .hasMessageContaining("division by zero");
    } else {
      assertThat(r.call(d, "f", A, B)).isEqualTo(e.value);
    }
  }
}
