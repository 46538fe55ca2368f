package faultsim.machine;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.engine.Engine;
import org.junit.jupiter.api.Test;

/** A cache line as a contended resource: ownership, queueing, read sharing, spinners. */
final class CacheLineTest {
  private static final long C = 100;

  private static Machine machine(int cores, int sockets, long same, long cross) {
    return new Machine(new Engine(), new MachineSpec(cores, sockets, SpinlockKind.QUEUED, true,
        CostProfile.ZERO.withTransfers(same, cross).withAtomicLocal(5)));
  }

  /** Each task does atomics on one line back to back until {@code endNs}, counting them. */
  private static final class Hammer implements Program {
    private final CacheLine line;
    private final long endNs;
    long atomics;

    Hammer(CacheLine line, long endNs) {
      this.line = line;
      this.endNs = endNs;
    }

    @Override
    public void step(Task t) {
      if (t.machine().engine().now() >= endNs) {
        t.exit();
        return;
      }
      atomics++;
      t.busy(line.atomic(t.machine(), t.core()));
    }
  }

  private static long hammer(Machine m, int tasks, long endNs) {
    CacheLine line = new CacheLine();
    Hammer[] h = new Hammer[tasks];
    for (int i = 0; i < tasks; i++) {
      h[i] = new Hammer(line, endNs);
      m.spawn("t" + i, h[i]);
    }
    m.engine().runUntil(Long.MAX_VALUE / 4);
    long sum = 0;
    for (Hammer x : h) {
      sum += x.atomics;
    }
    return sum;
  }

  @Test
  void atomics_nCoresHammerOneLine_saturateAtOnePerTransfer() {
    // One line, every core doing atomics on it back to back for 1 ms; transfer 100 ns, a local
    // atomic 5 ns. One core keeps the line: after the first fetch (100 ns) one atomic per 5 ns,
    // (1 ms - 100 ns) / 5 ns + 1 = 199,981 atomics. With N >= 2 cores every atomic must take the
    // line from the core before it and the line serves one transfer at a time, so the cores
    // together do one atomic per 100 ns: 1 ms / 100 ns = 10,000, give or take one per core (the
    // requests in flight at the end), whatever N. Not N per 100 ns: each core's share is 1/N.
    long run = 1_000_000;
    assertThat(hammer(machine(1, 1, C, C), 1, run)).isEqualTo(199_981);
    for (int n : new int[] {2, 4, 16, 64}) {
      assertThat(hammer(machine(n, 1, C, C), n, run)).as("N=%d", n).isBetween(10_000L - n,
          10_000L + n);
    }
  }

  @Test
  void atomics_twoSockets_eachTransferCrossesTheInterconnect() {
    // Two cores on different sockets, cross-socket transfer 250 ns: 1 ms / 250 ns = 4,000
    // atomics between them, give or take one each.
    assertThat(hammer(machine(2, 2, C, 250), 2, 1_000_000)).isBetween(3_998L, 4_002L);
  }

  @Test
  void reads_sharedLine_costNothingAfterTheFirstReadUntilAWrite() {
    // 4 cores, transfer 100 ns. A never-touched line is fetched from memory at a transfer's
    // cost; reads queue at the line one at a time.
    //   t=0: cpu1, cpu2, cpu3 read: done at 100, 200 (from cpu1's copy), 300 (from a sharer)
    //   t=1000: the three read again: each has a copy, done at once (1000)
    //   t=2000: cpu0 writes: invalidates three copies, 100 ns -> 2100
    //   t=3000: cpu1 reads (from the owner, 3100), cpu2 (from a sharer, 3200)
    //   t=3000: cpu0 reads again: it still has its (now shared) copy -> 3000
    //   t=4000: cpu0 writes: cpu1 and cpu2 hold copies -> 4100
    //   t=5000: cpu0 writes again: exclusive owner, local 5 ns -> 5005
    Machine m = machine(4, 1, C, C);
    CacheLine line = new CacheLine();
    assertThat(new long[] {line.readAt(m, 1, 0), line.readAt(m, 2, 0), line.readAt(m, 3, 0)})
        .containsExactly(100, 200, 300);
    assertThat(new long[] {line.readAt(m, 1, 1000), line.readAt(m, 2, 1000),
        line.readAt(m, 3, 1000)}).containsExactly(1000, 1000, 1000);
    assertThat(line.writeAt(m, 0, 2000)).isEqualTo(2100);
    assertThat(line.owner()).isZero();
    assertThat(new long[] {line.readAt(m, 1, 3000), line.readAt(m, 2, 3000),
        line.readAt(m, 0, 3000)}).containsExactly(3100, 3200, 3000);
    assertThat(line.writeAt(m, 0, 4000)).isEqualTo(4100);
    assertThat(line.writeAt(m, 0, 5000)).isEqualTo(5005);
  }

  @Test
  void write_sharersOnTheOtherSocket_invalidationCrossesTheInterconnect() {
    // 4 cores in 2 sockets (cpu0-1, cpu2-3), same 100 ns, cross 250 ns. cpu0 writes (memory,
    // 100), cpu1 reads (from cpu0, same socket: 200), cpu3 reads (from a sharer on the other
    // socket: 450). cpu1 writes at 1000: the farthest copy (cpu3) is across: 1250.
    Machine m = machine(4, 2, C, 250);
    CacheLine line = new CacheLine();
    assertThat(line.writeAt(m, 0, 0)).isEqualTo(100);
    assertThat(line.readAt(m, 1, 0)).isEqualTo(200);
    assertThat(line.readAt(m, 3, 0)).isEqualTo(450);
    assertThat(line.writeAt(m, 1, 1000)).isEqualTo(1250);
  }

  @Test
  void write_spinnersReReadInRingOrderFromTheWriter() {
    // 4 cores, transfer 100. cpu1, cpu2, cpu3 spin on the line (watch: reads at 0 -> 100, 200,
    // 300). cpu2 writes at 1000: invalidation 1100; then the spinners other than the writer
    // re-read in ring order from cpu2: cpu3 at 1200, cpu1 at 1300 (cpu0 does not spin); the
    // writer's own copy is current at 1100.
    Machine m = machine(4, 1, C, C);
    CacheLine line = new CacheLine();
    line.watch(m, 1);
    line.watch(m, 2);
    line.watch(m, 3);
    assertThat(line.writeAt(m, 2, 1000)).isEqualTo(1100);
    assertThat(new long[] {line.watcherSeesAtNs(3), line.watcherSeesAtNs(1),
        line.watcherSeesAtNs(2)}).containsExactly(1200, 1300, 1100);
    assertThat(line.freeAtNs()).isEqualTo(1300);
  }
}
