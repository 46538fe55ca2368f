package faultsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import umontreal.ssj.rng.MRG32k3a;

/** Page-offset generators for fault jobs. */
final class AccessPatternTest {
  @Test
  void sequential_visitsPagesInOrder_andWraps() {
    AccessPattern p = AccessPattern.parse("sequential", 4);
    List<Long> seen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      seen.add(p.next(null));
    }
    assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 0L, 1L);
  }

  @Test
  void stride_visitsEveryPageOncePerPass() {
    // 10 pages, stride 4: lane 0 = 0,4,8; lane 1 = 1,5,9; lane 2 = 2,6; lane 3 = 3,7.
    AccessPattern p = AccessPattern.parse("stride:4", 10);
    List<Long> seen = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      seen.add(p.next(null));
    }
    assertThat(seen).containsExactly(0L, 4L, 8L, 1L, 5L, 9L, 2L, 6L, 3L, 7L);
    assertThat(p.next(null)).isZero();
  }

  @Test
  void zipf_rankOneIsTwoToTheThetaTimesRankTwo() {
    // P(rank k) is proportional to k^-theta, so P(1)/P(2) = 2^theta = 2^1.2 = 2.297.
    AccessPattern p = AccessPattern.parse("zipf:1.2", 1000);
    MRG32k3a s = new MRG32k3a();
    long[] counts = new long[1000];
    for (int i = 0; i < 400_000; i++) {
      counts[(int) p.next(s)]++;
    }
    assertThat((double) counts[0] / counts[1]).isCloseTo(Math.pow(2, 1.2), within(0.08));
    assertThat(counts[0]).isGreaterThan(counts[10]).isGreaterThan(0);
  }

  @Test
  void uniform_coversTheRegion() {
    AccessPattern p = AccessPattern.parse("uniform", 16);
    MRG32k3a s = new MRG32k3a();
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      long v = p.next(s);
      assertThat(v).isBetween(0L, 15L);
      seen.add(v);
    }
    assertThat(seen).hasSize(16);
  }

  @Test
  void parse_badSpec_namesWhatIsExpected() {
    assertThatThrownBy(() -> AccessPattern.parse("pareto:1", 10))
        .hasMessageContaining("expected sequential, stride:N, uniform, zipf:THETA or permutation");
    assertThatThrownBy(() -> AccessPattern.parse("stride:0", 10)).hasMessageContaining("N >= 1");
    assertThatThrownBy(() -> AccessPattern.parse("zipf:-1", 10)).hasMessageContaining("> 0");
  }
}
