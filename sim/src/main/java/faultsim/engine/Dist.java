package faultsim.engine;

import java.util.Arrays;
import java.util.Locale;
import umontreal.ssj.probdist.ExponentialDist;
import umontreal.ssj.probdist.NormalDist;
import umontreal.ssj.rng.RandomStream;

/**
 * A distribution of times in nanoseconds. Every random variate is drawn by inversion from exactly
 * one uniform, so two designs that draw the same sequence of variates from the same substream see
 * the same values (common random numbers), and a constant draws nothing.
 */
public sealed interface Dist {

  /** Draws one value in whole nanoseconds (rounded, never negative). */
  long sample(RandomStream stream);

  /** The distribution's mean in nanoseconds. */
  double meanNs();

  /** A description in the workload-file syntax, e.g. {@code exp(2us)}. */
  String describe();

  static Dist constant(long ns) {
    return new Constant(ns);
  }

  static Dist exponential(double meanNs) {
    return new Exponential(meanNs);
  }

  /** Always {@code ns}. */
  record Constant(long ns) implements Dist {
    public Constant {
      if (ns < 0) {
        throw new IllegalArgumentException("a time must not be negative, was " + ns + " ns");
      }
    }

    @Override
    public long sample(RandomStream stream) {
      return ns;
    }

    @Override
    public double meanNs() {
      return ns;
    }

    @Override
    public String describe() {
      return ns + "ns";
    }
  }

  /** Exponential with the given mean. */
  record Exponential(double meanNs) implements Dist {
    public Exponential {
      if (!(meanNs > 0) || Double.isInfinite(meanNs)) {
        throw new IllegalArgumentException("an exponential mean must be > 0, was " + meanNs + " ns");
      }
    }

    @Override
    public long sample(RandomStream stream) {
      return Math.round(ExponentialDist.inverseF(1.0 / meanNs, stream.nextDouble()));
    }

    @Override
    public String describe() {
      return String.format(Locale.ROOT, "exp(%sns)", fmt(meanNs));
    }
  }

  /** Uniform on [lowNs, highNs]. */
  record Uniform(long lowNs, long highNs) implements Dist {
    public Uniform {
      if (lowNs < 0 || highNs < lowNs) {
        throw new IllegalArgumentException(
            "a uniform range needs 0 <= low <= high, was [" + lowNs + ", " + highNs + "] ns");
      }
    }

    @Override
    public long sample(RandomStream stream) {
      return Math.round(lowNs + (highNs - lowNs) * stream.nextDouble());
    }

    @Override
    public double meanNs() {
      return (lowNs + highNs) / 2.0;
    }

    @Override
    public String describe() {
      return "uniform(" + lowNs + "ns," + highNs + "ns)";
    }
  }

  /**
   * Lognormal given by its median and the standard deviation {@code sigma} of the underlying
   * normal: {@code exp(ln(median) + sigma * Z)}.
   */
  record Lognormal(double medianNs, double sigma) implements Dist {
    public Lognormal {
      if (!(medianNs > 0) || !(sigma >= 0) || Double.isInfinite(sigma)) {
        throw new IllegalArgumentException(
            "a lognormal needs median > 0 and sigma >= 0, was median " + medianNs + " ns, sigma "
                + sigma);
      }
    }

    @Override
    public long sample(RandomStream stream) {
      double z = NormalDist.inverseF01(stream.nextDouble());
      return Math.round(medianNs * Math.exp(sigma * z));
    }

    @Override
    public double meanNs() {
      return medianNs * Math.exp(sigma * sigma / 2);
    }

    @Override
    public String describe() {
      return String.format(Locale.ROOT, "lognormal(%sns,%s)", fmt(medianNs), fmt(sigma));
    }
  }

  /** Each of {@code valuesNs} with equal probability (a measured sample replayed). */
  record Empirical(long[] valuesNs) implements Dist {
    public Empirical {
      if (valuesNs.length == 0) {
        throw new IllegalArgumentException("an empirical distribution needs at least one value");
      }
      for (long v : valuesNs) {
        if (v < 0) {
          throw new IllegalArgumentException("a time must not be negative, was " + v + " ns");
        }
      }
      valuesNs = valuesNs.clone();
    }

    @Override
    public long sample(RandomStream stream) {
      int i = (int) (stream.nextDouble() * valuesNs.length);
      return valuesNs[Math.min(i, valuesNs.length - 1)];
    }

    @Override
    public double meanNs() {
      return Arrays.stream(valuesNs).average().orElse(0);
    }

    @Override
    public String describe() {
      StringBuilder sb = new StringBuilder("empirical(");
      for (int i = 0; i < valuesNs.length; i++) {
        sb.append(i == 0 ? "" : ",").append(valuesNs[i]).append("ns");
      }
      return sb.append(')').toString();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Empirical e && Arrays.equals(valuesNs, e.valuesNs);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(valuesNs);
    }

    @Override
    public String toString() {
      return describe();
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
