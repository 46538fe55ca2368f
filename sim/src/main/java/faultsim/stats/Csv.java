package faultsim.stats;

import java.math.BigDecimal;
import java.math.MathContext;

/** CSV fields as RFC 4180 quotes them, and numbers in a locale-independent form. */
public final class Csv {
  private Csv() {}

  /** Quotes a field if it contains a comma, quote or line break. */
  public static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /**
   * A number with at most 9 significant digits, no exponent, no trailing zeros; empty for NaN (a
   * confidence interval of one replication).
   */
  public static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(9)).stripTrailingZeros();
    return d.toPlainString();
  }
}
