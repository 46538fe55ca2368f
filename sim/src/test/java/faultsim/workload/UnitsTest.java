package faultsim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.engine.Dist;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Sizes, times and distributions as workload files spell them. */
final class UnitsTest {
  @Test
  void parseSize_binarySuffixes_arePowersOfTwo() {
    assertThat(Units.parseSize("4k")).isEqualTo(4096);
    assertThat(Units.parseSize("2M")).isEqualTo(2L << 20);
    assertThat(Units.parseSize("1GiB")).isEqualTo(1L << 30);
    assertThat(Units.parseSize("1t")).isEqualTo(1L << 40);
    assertThat(Units.parseSize("512")).isEqualTo(512);
  }

  @Test
  void parseSize_unknownSuffixOrNegative_isRejected() {
    assertThatThrownBy(() -> Units.parseSize("4kb")).hasMessageContaining("expected a size");
    assertThatThrownBy(() -> Units.parseSize("-4k")).hasMessageContaining("expected a size");
    assertThatThrownBy(() -> Units.parseSize("1mi")).hasMessageContaining("expected a size");
  }

  @Test
  void parseTime_requiresUnit() {
    assertThat(Units.parseTime("150ns")).isEqualTo(150);
    assertThat(Units.parseTime("2.5us")).isEqualTo(2500);
    assertThat(Units.parseTime("10ms")).isEqualTo(10_000_000);
    assertThat(Units.parseTime("1s")).isEqualTo(1_000_000_000);
    assertThatThrownBy(() -> Units.parseTime("100")).hasMessageContaining("needs a unit");
    assertThatThrownBy(() -> Units.parseTime("1.5ns")).hasMessageContaining("whole number");
    assertThatThrownBy(() -> Units.parseTime("3m")).hasMessageContaining("expected a time");
  }

  @Test
  void parseDist_everyForm() {
    assertThat(Units.parseDist("2us")).isEqualTo(Dist.constant(2000));
    assertThat(Units.parseDist("exp(2us)")).isEqualTo(Dist.exponential(2000));
    assertThat(Units.parseDist("uniform(1us, 3us)")).isEqualTo(new Dist.Uniform(1000, 3000));
    assertThat(Units.parseDist("lognormal(2us,0.5)")).isEqualTo(new Dist.Lognormal(2000, 0.5));
    assertThat(Units.parseDist("empirical(1us,2us)"))
        .isEqualTo(new Dist.Empirical(new long[] {1000, 2000}));
    assertThatThrownBy(() -> Units.parseDist("exp(0ns)")).hasMessageContaining("> 0");
    assertThatThrownBy(() -> Units.parseDist("pareto(1us)"))
        .hasMessageContaining("unknown distribution");
  }

  @Property
  void size_formatThenParse_isIdentity(@ForAll @LongRange(min = 0, max = 1L << 50) long bytes) {
    assertThat(Units.parseSize(Units.formatSize(bytes))).isEqualTo(bytes);
  }

  @Property
  void time_formatThenParse_isIdentity(@ForAll @LongRange(min = 0, max = 1L << 52) long ns) {
    assertThat(Units.parseTime(Units.formatTime(ns))).isEqualTo(ns);
  }
}
