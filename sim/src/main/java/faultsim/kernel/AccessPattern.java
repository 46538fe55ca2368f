package faultsim.kernel;

import java.util.Locale;
import umontreal.ssj.rng.RandomStream;

/**
 * Which page of a region a fault job touches next, as fio's {@code rw} and
 * {@code random_distribution} choose offsets: sequential (wrapping at the end), a fixed stride,
 * random with replacement (uniform, or Zipf with exponent θ over page ranks, hottest first), or a
 * random permutation (each page once per pass, reshuffled every pass).
 */
public abstract sealed class AccessPattern {
  /** Page offset in [0, pages) of the next access. */
  public abstract long next(RandomStream stream);

  /**
   * {@code sequential} (stride 1), {@code stride:N}, {@code uniform}, {@code zipf:THETA},
   * {@code permutation}.
   */
  public static AccessPattern parse(String spec, long pages) {
    if (pages < 1) {
      throw new IllegalArgumentException("a region of " + pages + " pages cannot be accessed");
    }
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("sequential")) {
      return new Stride(pages, 1);
    }
    if (s.equals("uniform") || s.equals("random")) {
      return new Uniform(pages);
    }
    if (s.equals("permutation")) {
      return new Permutation(pages);
    }
    if (s.startsWith("stride:")) {
      long n;
      try {
        n = Long.parseLong(s.substring(7));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("stride:N needs a whole number of pages, got '"
            + spec + "'");
      }
      if (n < 1) {
        throw new IllegalArgumentException("stride:N needs N >= 1, got '" + spec + "'");
      }
      return new Stride(pages, n);
    }
    if (s.startsWith("zipf:")) {
      double theta;
      try {
        theta = Double.parseDouble(s.substring(5));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("zipf:THETA needs a number, got '" + spec + "'");
      }
      if (!(theta > 0) || Double.isInfinite(theta)) {
        throw new IllegalArgumentException("zipf:THETA needs THETA > 0, got '" + spec + "'");
      }
      return new Zipf(pages, theta);
    }
    throw new IllegalArgumentException("unknown random_distribution '" + spec
        + "'; expected sequential, stride:N, uniform, zipf:THETA or permutation");
  }

  /** Pages 0, N, 2N, ... wrapping to the next residue: every page once per pass. */
  static final class Stride extends AccessPattern {
    private final long pages;
    private final long stride;
    private long next;
    private long lane;

    Stride(long pages, long stride) {
      this.pages = pages;
      this.stride = Math.min(stride, pages);
    }

    @Override
    public long next(RandomStream stream) {
      long v = next;
      next += stride;
      if (next >= pages) {
        lane = (lane + 1) % stride;
        next = lane;
      }
      return v;
    }
  }

  /**
   * Every page once per pass of {@code pages} draws, in an order shuffled for each pass by
   * Fisher–Yates (Durstenfeld's version, run lazily: draw {@code i} swaps position {@code i}
   * with a uniform position in [{@code i}, {@code pages}) and returns it), one uniform per draw
   * from the job's stream. Regions of up to {@link #DENSE_PAGES} pages keep the arrangement in an
   * array and shuffle it again for the next pass; larger ones keep only the positions moved so
   * far in the pass, and start each pass from the identity.
   */
  static final class Permutation extends AccessPattern {
    /** Largest region kept as an array of page numbers (16 MiB of ints). */
    static final long DENSE_PAGES = 1L << 22;

    private final long pages;
    private final int[] order;
    private final java.util.HashMap<Long, Long> moved;
    private long i;

    Permutation(long pages) {
      this(pages, pages <= DENSE_PAGES);
    }

    /** With the arrangement kept in an array ({@code dense}) or as the moved positions. */
    Permutation(long pages, boolean dense) {
      this.pages = pages;
      if (dense) {
        order = new int[(int) pages];
        for (int k = 0; k < order.length; k++) {
          order[k] = k;
        }
        moved = null;
      } else {
        order = null;
        moved = new java.util.HashMap<>();
      }
    }

    @Override
    public long next(RandomStream stream) {
      if (i == pages) {
        i = 0;
      }
      long j = i + Math.min(pages - i - 1, (long) (stream.nextDouble() * (pages - i)));
      long v;
      if (order != null) {
        int a = order[(int) j];
        order[(int) j] = order[(int) i];
        order[(int) i] = a;
        v = a;
      } else {
        // Position i is never read again this pass: its entry is dropped, so the map holds
        // only the positions ahead of i that were swapped.
        v = moved.getOrDefault(j, j);
        long atI = moved.containsKey(i) ? moved.remove(i) : i;
        if (j != i) {
          moved.put(j, atI);
        }
      }
      i++;
      return v;
    }
  }

  /** Uniform over the region. */
  static final class Uniform extends AccessPattern {
    private final long pages;

    Uniform(long pages) {
      this.pages = pages;
    }

    @Override
    public long next(RandomStream stream) {
      return Math.min(pages - 1, (long) (stream.nextDouble() * pages));
    }
  }

  /**
   * Zipf over ranks 1..pages by rejection-inversion (Hörmann and Derflinger, 1996), drawing
   * uniforms from the job's stream; rank r is page r - 1.
   */
  static final class Zipf extends AccessPattern {
    private final long n;
    private final double exponent;
    private final double hIntegralX1;
    private final double hIntegralN;
    private final double s;

    Zipf(long n, double exponent) {
      this.n = n;
      this.exponent = exponent;
      this.hIntegralX1 = hIntegral(1.5) - 1.0;
      this.hIntegralN = hIntegral(n + 0.5);
      this.s = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2.0));
    }

    @Override
    public long next(RandomStream stream) {
      while (true) {
        double u = hIntegralN + stream.nextDouble() * (hIntegralX1 - hIntegralN);
        double x = hIntegralInverse(u);
        long k = (long) (x + 0.5);
        if (k < 1) {
          k = 1;
        } else if (k > n) {
          k = n;
        }
        if (k - x <= s || u >= hIntegral(k + 0.5) - h(k)) {
          return k - 1;
        }
      }
    }

    private double h(double x) {
      return Math.exp(-exponent * Math.log(x));
    }

    private double hIntegral(double x) {
      double logX = Math.log(x);
      return helper2((1.0 - exponent) * logX) * logX;
    }

    private double hIntegralInverse(double x) {
      double t = x * (1.0 - exponent);
      if (t < -1.0) {
        t = -1.0;
      }
      return Math.exp(helper1(t) * x);
    }

    /** log(1 + x) / x, stable near 0. */
    private static double helper1(double x) {
      return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
    }

    /** (exp(x) - 1) / x, stable near 0. */
    private static double helper2(double x) {
      return Math.abs(x) > 1e-8 ? Math.expm1(x) / x
          : 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3) * (1.0 + 0.25 * x));
    }
  }
}
