package faultsim.report;

import java.util.Locale;

/** Numbers for people: a few significant digits, SI prefixes for large values, any locale. */
final class Fmt {
  private Fmt() {}

  /** Decimals that show {@code digits} significant digits of {@code v} (0 to 3). */
  static int decimals(double v, int digits) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return 0;
    }
    int magnitude = (int) Math.floor(Math.log10(Math.abs(v)));
    return Math.max(0, Math.min(3, digits - 1 - magnitude));
  }

  static String fixed(double v, int decimals) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
    return s.equals("-0") || s.matches("-0\\.0+") ? s.substring(1) : s;
  }

  /** {@code v} with {@code digits} significant digits, and k or M past 10 000. */
  static String number(double v, int digits) {
    return meanCi(v, Double.NaN, digits)[0];
  }

  /**
   * The mean and its confidence half-width in the same units and decimals: {@code [mean, ci]},
   * {@code ci} empty when NaN.
   */
  static String[] meanCi(double mean, double ci, int digits) {
    double scale = 1;
    String prefix = "";
    double a = Math.abs(mean);
    if (a >= 1e7) {
      scale = 1e6;
      prefix = "M";
    } else if (a >= 1e4) {
      scale = 1e3;
      prefix = "k";
    }
    boolean counts = mean == Math.rint(mean) && (Double.isNaN(ci) || ci == Math.rint(ci));
    int d = counts && scale == 1 ? 0 : decimals(mean / scale, digits);
    String m = fixed(mean / scale, d) + prefix;
    String c = Double.isNaN(ci) ? "" : fixed(ci / scale, d) + prefix;
    return new String[] {m, c};
  }

  /** A relative difference as a signed percentage, e.g. {@code +2.13 %}. */
  static String percent(double fraction) {
    if (Double.isNaN(fraction) || Double.isInfinite(fraction)) {
      return "";
    }
    double p = fraction * 100;
    int d = Math.abs(p) >= 10 ? 1 : 2;
    String s = fixed(p, d);
    return (p > 0 && !s.matches("0\\.0+") ? "+" : "") + s.replace('-', '\u2212') + " %";
  }

  /** A p-value to three decimals, or {@code < 0.001}. */
  static String pValue(double p) {
    if (Double.isNaN(p)) {
      return "n/a";
    }
    if (p < 1e-3) {
      return "< 0.001";
    }
    return String.format(Locale.ROOT, "%.3f", p);
  }

  /** Simulated time in the largest unit that keeps it at or above 1, e.g. {@code 1.1 µs}. */
  static String time(long ns) {
    if (ns >= 1_000_000_000L) {
      return trim(ns / 1e9) + " s";
    }
    if (ns >= 1_000_000L) {
      return trim(ns / 1e6) + " ms";
    }
    if (ns >= 1_000L) {
      return trim(ns / 1e3) + " \u00b5s";
    }
    return ns + " ns";
  }

  /** Four significant digits without trailing zeros. */
  private static String trim(double v) {
    String s = fixed(v, decimals(v, 4));
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }

  /** Nanoseconds as lock_stat prints them: microseconds with two decimals. */
  static String lockStatUs(double ns) {
    long hundredths = Math.round(ns / 10.0);
    return String.format(Locale.ROOT, "%d.%02d", hundredths / 100, hundredths % 100);
  }

  /** Names joined as a sentence does: {@code a}, {@code a and b}, {@code a, b and c}. */
  static String and(java.util.List<String> names) {
    if (names.size() < 2) {
      return String.join("", names);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " and "
        + names.get(names.size() - 1);
  }
}
