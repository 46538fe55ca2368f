package faultsim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import umontreal.ssj.rng.MRG32k3a;
import umontreal.ssj.rng.RandomStream;

/** {@link Dist}: one uniform per variate (inversion), means, and rejected parameters. */
final class DistTest {
  /** Two independent copies of one stream at the same position. */
  private static MRG32k3a[] twin() {
    MRG32k3a a = (MRG32k3a) RandomStreams.create(3, List.of("s")).forReplication(0).stream("s");
    return new MRG32k3a[] {a, a.clone()};
  }

  @Test
  void exponential_sample_isInversionOfOneUniform() {
    // F^-1(u) = -mean ln(1 - u); the next draw of both copies must again agree, so exactly one
    // uniform was used.
    MRG32k3a[] s = twin();
    for (int i = 0; i < 100; i++) {
      double u = s[1].nextDouble();
      long expected = Math.round(-2_000.0 * Math.log(1 - u));
      assertThat(Dist.exponential(2_000).sample(s[0])).isCloseTo(expected, within(1L));
    }
    assertThat(s[0].nextDouble()).isEqualTo(s[1].nextDouble());
  }

  @Test
  void constant_sample_drawsNothing() {
    MRG32k3a[] s = twin();
    assertThat(Dist.constant(7).sample(s[0])).isEqualTo(7);
    assertThat(s[0].nextDouble()).isEqualTo(s[1].nextDouble());
  }

  @Test
  void uniformAndEmpirical_sample_mapOneUniformLinearly() {
    // uniform(100, 300): round(100 + 200 u); empirical {5, 6, 7, 8}: value at floor(4 u).
    MRG32k3a[] s = twin();
    long[] values = {5, 6, 7, 8};
    for (int i = 0; i < 100; i++) {
      double u = s[1].nextDouble();
      assertThat(new Dist.Uniform(100, 300).sample(s[0])).isEqualTo(Math.round(100 + 200 * u));
      double v = s[1].nextDouble();
      assertThat(new Dist.Empirical(values).sample(s[0])).isEqualTo(values[(int) (4 * v)]);
    }
  }

  @Test
  void meanNs_eachFamily_matchesClosedForm() {
    // lognormal: median e^(sigma^2 / 2) = 1000 e^0.125 = 1133.148...
    assertThat(new Dist.Lognormal(1_000, 0.5).meanNs()).isCloseTo(1_133.1485, within(1e-3));
    assertThat(new Dist.Uniform(100, 301).meanNs()).isEqualTo(200.5);
    assertThat(new Dist.Empirical(new long[] {1, 2, 6}).meanNs()).isEqualTo(3.0);
    assertThat(Dist.exponential(2_500).meanNs()).isEqualTo(2_500.0);
  }

  @Test
  void describe_eachFamily_usesWorkloadSyntax() {
    assertThat(Dist.exponential(2_000).describe()).isEqualTo("exp(2000ns)");
    assertThat(Dist.constant(5).describe()).isEqualTo("5ns");
    assertThat(new Dist.Uniform(1, 5).describe()).isEqualTo("uniform(1ns,5ns)");
    assertThat(new Dist.Lognormal(1_500, 0.25).describe()).isEqualTo("lognormal(1500ns,0.25)");
    assertThat(new Dist.Empirical(new long[] {3, 4}).describe()).isEqualTo("empirical(3ns,4ns)");
  }

  @Test
  void constructors_negativeOrEmpty_messagesNameTheValue() {
    assertThatThrownBy(() -> Dist.constant(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a time must not be negative, was -1 ns");
    assertThatThrownBy(() -> Dist.exponential(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an exponential mean must be > 0, was -5.0 ns");
    assertThatThrownBy(() -> Dist.exponential(0))
        .hasMessage("an exponential mean must be > 0, was 0.0 ns");
    assertThatThrownBy(() -> Dist.exponential(Double.NaN))
        .hasMessage("an exponential mean must be > 0, was NaN ns");
    assertThatThrownBy(() -> Dist.exponential(Double.POSITIVE_INFINITY))
        .hasMessage("an exponential mean must be > 0, was Infinity ns");
    assertThatThrownBy(() -> new Dist.Uniform(-1, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a uniform range needs 0 <= low <= high, was [-1, 5] ns");
    assertThatThrownBy(() -> new Dist.Uniform(5, 3))
        .hasMessage("a uniform range needs 0 <= low <= high, was [5, 3] ns");
    assertThatThrownBy(() -> new Dist.Lognormal(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a lognormal needs median > 0 and sigma >= 0, was median 0.0 ns, sigma 1.0");
    assertThatThrownBy(() -> new Dist.Lognormal(10, -0.5))
        .hasMessage("a lognormal needs median > 0 and sigma >= 0, was median 10.0 ns, sigma -0.5");
    assertThatThrownBy(() -> new Dist.Empirical(new long[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an empirical distribution needs at least one value");
    assertThatThrownBy(() -> new Dist.Empirical(new long[] {4, -3}))
        .hasMessage("a time must not be negative, was -3 ns");
  }

  @Test
  void empirical_valuesArray_copiedOnConstruction() {
    long[] values = {10, 20};
    Dist.Empirical d = new Dist.Empirical(values);
    values[0] = 99;
    assertThat(d.meanNs()).isEqualTo(15.0);
    assertThat(d).isEqualTo(new Dist.Empirical(new long[] {10, 20}));
  }

  @Test
  void sample_wideLognormalAndTinyExponential_neverNegative() {
    RandomStream s = twin()[0];
    for (int i = 0; i < 10_000; i++) {
      assertThat(new Dist.Lognormal(50, 3).sample(s)).isNotNegative();
      assertThat(Dist.exponential(0.4).sample(s)).isNotNegative();
    }
  }
}
