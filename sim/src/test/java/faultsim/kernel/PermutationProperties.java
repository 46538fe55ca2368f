package faultsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import umontreal.ssj.rng.MRG32k3a;
import umontreal.ssj.rng.RandomStream;

/** random_distribution: permutation visits every page once per pass, shuffled every pass. */
final class PermutationProperties {
  private static RandomStream stream(long seed) {
    MRG32k3a s = new MRG32k3a();
    long v = 12345 + Math.floorMod(seed, 1_000_000L);
    s.setSeed(new long[] {v, v, v, v, v, v});
    return s;
  }

  private static List<Long> pass(AccessPattern p, RandomStream s, int pages) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < pages; i++) {
      out.add(p.next(s));
    }
    return out;
  }

  private static List<Long> identity(int pages) {
    List<Long> out = new ArrayList<>();
    for (long i = 0; i < pages; i++) {
      out.add(i);
    }
    return out;
  }

  /**
   * Every pass of {@code pages} draws is a permutation of the region's pages, for the array
   * arrangement and for the moved-positions one alike; the first pass of both is the same (the
   * same Fisher–Yates swaps from the identity), and the same seed gives the same order.
   */
  @Property(tries = 200)
  void everyPass_isAPermutationOfTheRegion(@ForAll @IntRange(min = 1, max = 300) int pages,
      @ForAll @IntRange(min = 1, max = 4) int passes, @ForAll @LongRange(min = 0) long seed) {
    AccessPattern dense = new AccessPattern.Permutation(pages, true);
    AccessPattern sparse = new AccessPattern.Permutation(pages, false);
    AccessPattern again = AccessPattern.parse("permutation", pages);
    RandomStream sd = stream(seed);
    RandomStream ss = stream(seed);
    RandomStream sa = stream(seed);
    for (int k = 0; k < passes; k++) {
      List<Long> d = pass(dense, sd, pages);
      List<Long> s = pass(sparse, ss, pages);
      assertThat(d).containsExactlyInAnyOrderElementsOf(identity(pages));
      assertThat(s).containsExactlyInAnyOrderElementsOf(identity(pages));
      assertThat(pass(again, sa, pages)).isEqualTo(d);
      if (k == 0) {
        assertThat(s).isEqualTo(d);
      }
    }
  }

  /**
   * Three pages, uniforms 0.9, 0.1, 0.5: draw 0 swaps position 0 with 0 + floor(0.9 × 3) = 2
   * (arrangement 2,1,0) and returns 2; draw 1 swaps position 1 with 1 + floor(0.1 × 2) = 1 and
   * returns 1; draw 2 has one position left and returns 0.
   */
  @Test
  void fisherYates_byHand() {
    double[] u = {0.9, 0.1, 0.5};
    RandomStream fixed = new MRG32k3a() {
      private int i;

      @Override
      public double nextDouble() {
        return u[i++];
      }
    };
    AccessPattern p = AccessPattern.parse("permutation", 3);
    assertThat(pass(p, fixed, 3)).containsExactly(2L, 1L, 0L);
  }
}
