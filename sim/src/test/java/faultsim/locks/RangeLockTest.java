package faultsim.locks;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.machine.Scenario;
import org.junit.jupiter.api.Test;

/**
 * The range lock ({@code struct range_lock_tree}) with every cost zero: requests conflict only
 * when they overlap and one writes, and a request waits for every earlier conflicting one.
 */
final class RangeLockTest {

  private static Scenario.Op lock(RangeLock l, boolean write, long start, long last) {
    return t -> l.acquire(t, write, start, last);
  }

  private static Scenario.Op unlock(RangeLock l, boolean write, long start, long last) {
    return t -> l.release(t, write, start, last);
  }

  @Test
  void writersOfDisjointRanges_andReadersOutsideThem_neverWait() {
    // W holds [10, 19] for write 0..10 us. R reads [0, 9] at 1 us and [20, 29] at 2 us: no
    // overlap, both at once. R2 reads [15, 15] at 3 us: inside W's range, waits until 10 us.
    Scenario s = new Scenario(Scenario.zeroCost(3, false));
    RangeLock l = (RangeLock) s.lock("&mapping->range_lock", LockKind.RANGELOCK);
    s.spawn("W", 0, lock(l, true, 10, 19), Scenario.cpu(10_000), unlock(l, true, 10, 19));
    s.spawn("R", 1_000, lock(l, false, 0, 9), s.mark("R low"), unlock(l, false, 0, 9),
        lock(l, false, 20, 29), s.mark("R high"), unlock(l, false, 20, 29));
    s.spawn("R2", 3_000, lock(l, false, 15, 15), s.mark("R2"), unlock(l, false, 15, 15));
    s.run();
    assertThat(s.time("R low")).isEqualTo(1_000);
    assertThat(s.time("R high")).isEqualTo(1_000);
    assertThat(s.time("R2")).isEqualTo(10_000);
    assertThat(l.lockClass().read().contentions()).isEqualTo(1);
  }

  @Test
  void aRequestWaitsForEarlierConflictingWaiters_fairness() {
    // R1 reads [0, 9] 0..10 us. W asks for [5, 14] at 1 us: waits for R1. R2 asks for [12, 12]
    // at 2 us: it does not overlap R1 but overlaps the waiting W, which came first, so it waits
    // for W: W enters at 10 and writes 5 us, R2 enters at 15.
    Scenario s = new Scenario(Scenario.zeroCost(3, false));
    RangeLock l = (RangeLock) s.lock("r", LockKind.RANGELOCK);
    s.spawn("R1", 0, lock(l, false, 0, 9), Scenario.cpu(10_000), unlock(l, false, 0, 9));
    s.spawn("W", 1_000, lock(l, true, 5, 14), s.mark("W"), Scenario.cpu(5_000),
        unlock(l, true, 5, 14));
    s.spawn("R2", 2_000, lock(l, false, 12, 12), s.mark("R2"), unlock(l, false, 12, 12));
    s.run();
    assertThat(s.time("W")).isEqualTo(10_000);
    assertThat(s.time("R2")).isEqualTo(15_000);
  }
}
