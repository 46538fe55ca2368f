package faultsim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.engine.Engine;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;

/** Invariants of the cache-line model over random sequences of accesses. */
class CacheLineProperties {
  @Provide
  Arbitrary<List<Tuple3<Integer, Boolean, Integer>>> accesses() {
    // (core 0..7, write?, gap to the previous access 0..300 ns)
    return Combinators.combine(Arbitraries.integers().between(0, 7), Arbitraries.of(true, false),
        Arbitraries.integers().between(0, 300)).as(Tuple::of).list().ofMaxSize(100);
  }

  private static Machine machine(CostProfile costs) {
    return new Machine(new Engine(), new MachineSpec(8, 2, SpinlockKind.QUEUED, true, costs));
  }

  @Property(tries = 300)
  void zeroCosts_everyAccessCompletesWhenIssued(
      @ForAll("accesses") List<Tuple3<Integer, Boolean, Integer>> ops) {
    // The queueing-theory tests rely on this: with every cost zero the line never delays.
    Machine m = machine(CostProfile.ZERO);
    CacheLine line = new CacheLine();
    long at = 0;
    for (Tuple3<Integer, Boolean, Integer> op : ops) {
      at += op.get3();
      long done = op.get2() ? line.writeAt(m, op.get1(), at) : line.readAt(m, op.get1(), at);
      assertThat(done).isEqualTo(at);
    }
  }

  @Property(tries = 300)
  void accesses_serialisedAndCoherent(
      @ForAll("accesses") List<Tuple3<Integer, Boolean, Integer>> ops) {
    // A transfer never overlaps an earlier one (the line ends no earlier than before plus the
    // transfer); a write leaves exactly its core with a copy; a read leaves the reader with a
    // copy; an access by a core already holding what it needs costs at most a local atomic.
    Machine m = machine(CostProfile.DEFAULT);
    CacheLine line = new CacheLine();
    long at = 0;
    for (Tuple3<Integer, Boolean, Integer> op : ops) {
      at += op.get3();
      int c = op.get1();
      long freeBefore = line.freeAtNs();
      boolean hadExclusive = line.owner() == c;
      boolean hadCopy = line.cached(c);
      long done = op.get2() ? line.writeAt(m, c, at) : line.readAt(m, c, at);
      assertThat(done).isGreaterThanOrEqualTo(at);
      if (op.get2()) {
        assertThat(line.owner()).isEqualTo(c);
        for (int o = 0; o < 8; o++) {
          assertThat(line.cached(o)).isEqualTo(o == c);
        }
        if (hadExclusive) {
          assertThat(done - Math.max(at, freeBefore))
              .isEqualTo(CostProfile.DEFAULT.atomicLocalNs());
        } else {
          assertThat(done).isGreaterThanOrEqualTo(freeBefore);
        }
      } else {
        assertThat(line.cached(c)).isTrue();
        if (hadCopy) {
          assertThat(done).isEqualTo(at);
        } else {
          assertThat(done).isGreaterThanOrEqualTo(
              Math.max(at, freeBefore) + CostProfile.DEFAULT.transferSameSocketNs());
        }
      }
    }
  }
}
