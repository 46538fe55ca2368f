package faultsim.workload;

import faultsim.engine.Dist;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes, times and time distributions as workload files spell them.
 *
 * <ul>
 *   <li>sizes: a whole number with an optional suffix {@code k M G T} or {@code KiB MiB GiB TiB}
 *       (case-insensitive, all powers of two; fio's decimal {@code kb_base} mode is not offered),
 *       e.g. {@code 4k}, {@code 2M}, {@code 1GiB}; a bare number is bytes;
 *   <li>times: a number and a required unit {@code ns us ms s}, e.g. {@code 150ns}, {@code 2.5us};
 *   <li>distributions: a time (constant), {@code exp(MEAN)}, {@code uniform(LOW,HIGH)},
 *       {@code lognormal(MEDIAN,SIGMA)}, {@code empirical(T1,T2,...)}.
 * </ul>
 *
 * Every parse error is an {@link IllegalArgumentException} whose message says what was expected.
 */
public final class Units {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*([kmgt]|[kmgt]ib)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s)");
  private static final Pattern CALL = Pattern.compile("([a-z]+)\\((.*)\\)");

  private Units() {}

  /** Parses a size in bytes. */
  public static long parseSize(String text) {
    String s = text.trim();
    Matcher m = SIZE.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a size such as 4k, 2M, 1GiB (powers of two), got '"
          + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    int shift = 0;
    if (m.group(2) != null) {
      switch (Character.toLowerCase(m.group(2).charAt(0))) {
        case 'k' -> shift = 10;
        case 'm' -> shift = 20;
        case 'g' -> shift = 30;
        default -> shift = 40;
      }
    }
    if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("size '" + text + "' is too large");
    }
    return n << shift;
  }

  /** Formats a byte count with the largest exact binary suffix: 4096 → {@code 4k}. */
  public static String formatSize(long bytes) {
    String[] suffixes = {"", "k", "M", "G", "T"};
    int i = 0;
    long v = bytes;
    while (i < suffixes.length - 1 && v != 0 && v % 1024 == 0) {
      v /= 1024;
      i++;
    }
    return v + suffixes[i];
  }

  /** Parses a time in nanoseconds; the unit is required. */
  public static long parseTime(String text) {
    String s = text.trim();
    Matcher m = TIME.matcher(s);
    if (!m.matches()) {
      if (s.matches("\\d+(\\.\\d+)?")) {
        throw new IllegalArgumentException(
            "a time needs a unit (ns, us, ms or s), got '" + text + "'");
      }
      throw new IllegalArgumentException(
          "expected a time such as 150ns, 2us, 10ms, 1s, got '" + text + "'");
    }
    double v = Double.parseDouble(m.group(1));
    double scale = switch (m.group(2)) {
      case "ns" -> 1;
      case "us" -> 1e3;
      case "ms" -> 1e6;
      default -> 1e9;
    };
    double ns = v * scale;
    if (ns > 9.0e15) {
      throw new IllegalArgumentException("time '" + text + "' is too large");
    }
    if (ns != Math.rint(ns)) {
      throw new IllegalArgumentException(
          "time '" + text + "' is not a whole number of nanoseconds");
    }
    return (long) ns;
  }

  /** Parses a percentage such as {@code 2%} or {@code 0.5%} as a fraction (0.02, 0.005). */
  public static double parsePercent(String text) {
    String s = text.strip();
    if (!s.matches("\\d+(\\.\\d+)?%")) {
      throw new IllegalArgumentException("expected a percentage such as 2% or 0.5%, got '"
          + text + "'");
    }
    return Double.parseDouble(s.substring(0, s.length() - 1)) / 100;
  }

  /** Formats nanoseconds with the largest unit that keeps it whole: 2000 → {@code 2us}. */
  public static String formatTime(long ns) {
    if (ns != 0 && ns % 1_000_000_000L == 0) {
      return ns / 1_000_000_000L + "s";
    }
    if (ns != 0 && ns % 1_000_000L == 0) {
      return ns / 1_000_000L + "ms";
    }
    if (ns != 0 && ns % 1_000L == 0) {
      return ns / 1_000L + "us";
    }
    return ns + "ns";
  }

  /**
   * A rate {@code N/s}, {@code N/ms} or {@code N/us} (operations per unit of time), as the
   * period between operations in nanoseconds.
   */
  public static long parseRatePeriod(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("a rate needs a unit, e.g. 100/s, 5/ms; got '" + text
          + "'");
    }
    double n;
    try {
      n = Double.parseDouble(t.substring(0, slash).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a rate is a number per unit, e.g. 100/s; got '" + text
          + "'");
    }
    long unit = switch (t.substring(slash + 1).strip()) {
      case "s" -> 1_000_000_000L;
      case "ms" -> 1_000_000L;
      case "us" -> 1_000L;
      default -> throw new IllegalArgumentException("a rate's unit is s, ms or us; got '" + text
          + "'");
    };
    if (!(n > 0) || Double.isInfinite(n)) {
      throw new IllegalArgumentException("a rate must be > 0, got '" + text + "'");
    }
    long period = Math.round(unit / n);
    if (period < 1) {
      throw new IllegalArgumentException("rate '" + text + "' is faster than one per ns");
    }
    return period;
  }

  /** Parses a distribution of times. */
  public static Dist parseDist(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = CALL.matcher(s);
    if (!m.matches()) {
      try {
        return Dist.constant(parseTime(s));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage()
            + "; a distribution is a time or exp(T), uniform(T,T), lognormal(T,SIGMA),"
            + " empirical(T,...)");
      }
    }
    List<String> args = splitArgs(m.group(2));
    switch (m.group(1)) {
      case "exp":
        requireArgs("exp(MEAN)", args, 1);
        return Dist.exponential(positive(parseTime(args.get(0)), "exp mean"));
      case "uniform":
        requireArgs("uniform(LOW,HIGH)", args, 2);
        long lo = parseTime(args.get(0));
        long hi = parseTime(args.get(1));
        if (hi < lo) {
          throw new IllegalArgumentException("uniform(LOW,HIGH) needs LOW <= HIGH, got '" + text + "'");
        }
        return new Dist.Uniform(lo, hi);
      case "lognormal":
        requireArgs("lognormal(MEDIAN,SIGMA)", args, 2);
        double sigma;
        try {
          sigma = Double.parseDouble(args.get(1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "lognormal SIGMA must be a number such as 0.5, got '" + args.get(1) + "'");
        }
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
          throw new IllegalArgumentException("lognormal SIGMA must be >= 0, got " + args.get(1));
        }
        return new Dist.Lognormal(positive(parseTime(args.get(0)), "lognormal median"), sigma);
      case "empirical":
        if (args.isEmpty() || args.get(0).isEmpty()) {
          throw new IllegalArgumentException("empirical(T1,T2,...) needs at least one time");
        }
        long[] values = new long[args.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = parseTime(args.get(i));
        }
        return new Dist.Empirical(values);
      default:
        throw new IllegalArgumentException("unknown distribution '" + m.group(1)
            + "'; expected exp, uniform, lognormal or empirical");
    }
  }

  private static long positive(long ns, String what) {
    if (ns <= 0) {
      throw new IllegalArgumentException(what + " must be > 0");
    }
    return ns;
  }

  private static void requireArgs(String form, List<String> args, int n) {
    if (args.size() != n || args.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("expected " + form + " with " + n + " argument"
          + (n == 1 ? "" : "s"));
    }
  }

  private static List<String> splitArgs(String inner) {
    List<String> out = new ArrayList<>();
    for (String a : inner.split(",", -1)) {
      out.add(a.trim());
    }
    return out;
  }
}
