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

  /** A machine of {@code cores} cores in {@code sockets} sockets, queued spinlocks. */
  private static Machine machine(int cores, int sockets, CostProfile costs) {
    return new Machine(new Engine(),
        new MachineSpec(cores, sockets, SpinlockKind.QUEUED, true, costs));
  }

  @Property(tries = 300)
  void zeroCosts_everyAccessCompletesWhenIssued(
      @ForAll("accesses") List<Tuple3<Integer, Boolean, Integer>> ops) {
    // The queueing-theory tests rely on this: with every cost zero the line never delays.
    Machine m = machine(8, 2, CostProfile.ZERO);
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
    Machine m = machine(8, 2, CostProfile.DEFAULT);
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
  @Provide
  Arbitrary<List<Integer>> readersOf240() {
    return Arbitraries.integers().between(0, 239).list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 300)
  void manyCores_missServedByNearestCopy_writeWaitsForFarthest(
      @ForAll("readersOf240") List<Integer> readers, @ForAll int pick) {
    // 240 cores in 4 sockets of 60: sockets straddle the 64-bit words of the sharer set. After
    // reads by `readers` (each one past the line's previous transfer), a read miss by another
    // core costs a same-socket transfer if a copy sits on its socket and a cross-socket one
    // otherwise; a write by any core waits for the farthest other copy (cross-socket if one is
    // on another socket, same-socket if only its own socket has others, a local atomic if it
    // holds the only copy). Expected values come from the sharers listed one by one.
    CostProfile costs = CostProfile.DEFAULT;
    Machine m = machine(240, 4, costs);
    CacheLine line = new CacheLine();
    java.util.Set<Integer> sharers = new java.util.TreeSet<>();
    long at = 0;
    for (int r : readers) {
      at += 10_000;
      line.readAt(m, r, at);
      sharers.add(r);
    }
    int core = Math.floorMod(pick, 240);
    at += 10_000;
    if (!sharers.contains(core)) {
      boolean sameSocketCopy = sharers.stream().anyMatch(c -> c / 60 == core / 60);
      assertThat(line.readAt(m, core, at) - at).isEqualTo(sameSocketCopy
          ? costs.transferSameSocketNs() : costs.transferCrossSocketNs());
      sharers.add(core);
      at += 10_000;
    }
    boolean otherSocket = sharers.stream().anyMatch(c -> c / 60 != core / 60);
    boolean others = sharers.stream().anyMatch(c -> c != core);
    long expected = otherSocket ? costs.transferCrossSocketNs()
        : others ? costs.transferSameSocketNs() : costs.atomicLocalNs();
    assertThat(line.writeAt(m, core, at) - at).isEqualTo(expected);
    // The writer owns the line alone, whichever word of the sharer set its bit is in; a read
    // from the next socket's core at the same position fetches the line from it across sockets.
    assertThat(line.owner()).isEqualTo(core);
    int reader = (core + 60) % 240;
    at += 10_000;
    assertThat(line.readAt(m, reader, at) - at).isEqualTo(costs.transferCrossSocketNs());
    assertThat(line.owner()).isEqualTo(-1);
    assertThat(line.cached(core)).isTrue();
    assertThat(line.cached(reader)).isTrue();
  }

  @Provide
  Arbitrary<List<Integer>> watchersOf320() {
    return Arbitraries.integers().between(0, 319).list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 300)
  void manyCores_watchersReReadRoundTheRingFromTheWriter(
      @ForAll("watchersOf320") List<Integer> watchers, @ForAll("watchersOf320") List<Integer> gone,
      @ForAll int pick) {
    // 320 cores in 4 sockets of 80 (five words of the sharer set, sockets straddling them).
    // `watchers` spin on the line, then those of `gone` stop; a write by another core is served,
    // then each core still spinning reads the line again in ring order from the writer (the
    // cores above it, then those below), one transfer after another: from the writer's socket
    // for the first, then from the nearest copy (same socket if a core of the reader's socket
    // holds one by then, else across). Expected times are worked out by walking the ring core by
    // core with the copies listed one by one.
    CostProfile costs = CostProfile.DEFAULT;
    Machine m = machine(320, 4, costs);
    CacheLine line = new CacheLine();
    long at = 0;
    for (int w : watchers) {
      at += 10_000;
      m.engine().runUntil(at);
      line.watch(m, w);
    }
    java.util.Set<Integer> spinning = new java.util.TreeSet<>(watchers);
    for (int g : gone) {
      line.unwatch(g);
      spinning.remove(g);
    }
    int writer = Math.floorMod(pick, 320);
    spinning.remove(writer);
    line.unwatch(writer);
    at += 10_000;
    long t = line.writeAt(m, writer, at);
    java.util.List<Integer> copies = new java.util.ArrayList<>(List.of(writer));
    for (int i = 1; i < 320; i++) {
      int c = (writer + i) % 320;
      if (!spinning.contains(c)) {
        continue;
      }
      boolean sameSocket = copies.stream().anyMatch(o -> o / 80 == c / 80);
      t += sameSocket ? costs.transferSameSocketNs() : costs.transferCrossSocketNs();
      assertThat(line.watcherSeesAtNs(c)).as("cpu%d", c).isEqualTo(t);
      copies.add(c);
    }
    for (int g : gone) {
      if (!spinning.contains(g) && g != writer) {
        assertThat(line.cached(g)).as("cpu%d stopped spinning", g).isFalse();
      }
    }
    assertThat(line.freeAtNs()).isEqualTo(t);
  }

  @Provide
  Arbitrary<List<Integer>> accessesOf240() {
    // An access: core (0..239) times 2, plus 1 for a write.
    return Arbitraries.integers().between(0, 479).list().ofMaxSize(80);
  }

  @Property(tries = 300)
  void manyCores_randomAccessesFollowTheProtocol(
      @ForAll("accessesOf240") List<Integer> accesses, @ForAll boolean fewCores) {
    // Reads and writes by cores of a 240-core machine (4 sockets of 60), or by only cores 70 and
    // 200 (one holder at a time, then two: a line's usual states), each issued after the previous
    // transfer. Expected costs from the protocol with the copies listed one by one: a read by a
    // holder is free; a first touch fetches from memory; a read miss fetches from the exclusive
    // owner, else from the nearest copy; a write by the exclusive owner is a local atomic, else
    // it waits for the farthest other copy (none: a local atomic). After each access the owner
    // and every core's copy are as listed.
    CostProfile costs = CostProfile.DEFAULT;
    Machine m = machine(240, 4, costs);
    CacheLine line = new CacheLine();
    java.util.Set<Integer> copies = new java.util.TreeSet<>();
    boolean touched = false;
    boolean exclusive = false;
    long at = 0;
    for (int a : accesses) {
      int core = fewCores ? (a % 2 == 0 ? 70 : 200) : a / 2;
      boolean write = (a & 1) == 1;
      at += 10_000;
      long expected;
      if (write) {
        if (exclusive && copies.contains(core)) {
          expected = costs.atomicLocalNs();
        } else if (!touched) {
          expected = costs.memoryFetchNs();
        } else if (copies.stream().anyMatch(c -> c / 60 != core / 60)) {
          expected = costs.transferCrossSocketNs();
        } else if (copies.stream().anyMatch(c -> c != core)) {
          expected = costs.transferSameSocketNs();
        } else {
          expected = costs.atomicLocalNs();
        }
        assertThat(line.writeAt(m, core, at) - at).isEqualTo(expected);
        copies.clear();
        copies.add(core);
        exclusive = true;
      } else {
        if (copies.contains(core)) {
          expected = 0;
        } else if (!touched) {
          expected = costs.memoryFetchNs();
        } else if (copies.stream().anyMatch(c -> c / 60 == core / 60)) {
          expected = costs.transferSameSocketNs();
        } else {
          expected = costs.transferCrossSocketNs();
        }
        if (exclusive && !copies.contains(core)) {
          int owner = copies.iterator().next();
          expected = owner / 60 == core / 60 ? costs.transferSameSocketNs()
              : costs.transferCrossSocketNs();
          exclusive = false;
        }
        assertThat(line.readAt(m, core, at) - at).isEqualTo(expected);
        copies.add(core);
      }
      touched = true;
      assertThat(line.owner()).isEqualTo(exclusive ? copies.iterator().next() : -1);
      for (int c = 0; c < 240; c++) {
        assertThat(line.cached(c)).as("cpu%d", c).isEqualTo(copies.contains(c));
      }
    }
  }
}
