package faultsim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import umontreal.ssj.rng.RandomStream;

/** {@link RandomStreams}: reproducible, independent, one substream per replication. */
final class RandomStreamsTest {
  private static double[] draw(RandomStream s, int n) {
    double[] u = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = s.nextDouble();
    }
    return u;
  }

  @Test
  void create_sameSeedTwice_identicalStreams() {
    RandomStreams a = RandomStreams.create(42, List.of("x", "y")).forReplication(0);
    RandomStreams b = RandomStreams.create(42, List.of("x", "y")).forReplication(0);
    assertThat(draw(a.stream("y"), 50)).containsExactly(draw(b.stream("y"), 50));
  }

  @Test
  void create_otherSeed_differentStreams() {
    RandomStreams a = RandomStreams.create(42, List.of("x")).forReplication(0);
    RandomStreams b = RandomStreams.create(43, List.of("x")).forReplication(0);
    assertThat(draw(a.stream("x"), 5)).isNotEqualTo(draw(b.stream("x"), 5));
  }

  @Test
  void forReplication_calledTwice_copiesIdenticalAndIndependent() {
    RandomStreams base = RandomStreams.create(7, List.of("x"));
    RandomStreams r0 = base.forReplication(0);
    RandomStreams r0again = base.forReplication(0);
    RandomStreams r1 = base.forReplication(1);
    double[] first = draw(r0.stream("x"), 10);
    assertThat(draw(r0again.stream("x"), 10)).containsExactly(first);
    assertThat(draw(r1.stream("x"), 10)).isNotEqualTo(first);
    assertThat(draw(base.forReplication(0).stream("x"), 10)).containsExactly(first);
  }

  @Test
  void stream_otherStreamDrawnFrom_valuesUnchanged() {
    // A task's stream gives the same values whatever other tasks draw (common random numbers).
    RandomStreams a = RandomStreams.create(9, List.of("t0", "t1")).forReplication(0);
    RandomStreams b = RandomStreams.create(9, List.of("t0", "t1")).forReplication(0);
    draw(a.stream("t0"), 1_000);
    assertThat(draw(a.stream("t1"), 20)).containsExactly(draw(b.stream("t1"), 20));
  }

  @Test
  void packageSeed_extremeSeeds_wordsInMrg32k3aRanges() {
    for (long seed : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 42}) {
      long[] w = RandomStreams.packageSeed(seed);
      for (int i = 0; i < 6; i++) {
        assertThat(w[i]).isBetween(1L, (i < 3 ? 4294967087L : 4294944443L) - 1);
      }
    }
  }

  @Test
  void createStreamForReplication_badInput_messagesNameTheProblem() {
    assertThatThrownBy(() -> RandomStreams.create(1, List.of("a", "b", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("random stream 'a' named twice");
    RandomStreams s = RandomStreams.create(1, List.of("a", "b"));
    assertThatThrownBy(() -> s.stream("c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no random stream named 'c'; known: [a, b]");
    assertThatThrownBy(() -> s.forReplication(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replication must be >= 0, was -1");
  }
}
