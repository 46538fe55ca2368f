package faultsim.locks;

import static faultsim.machine.Scenario.acquire;
import static faultsim.machine.Scenario.acquireRead;
import static faultsim.machine.Scenario.cpu;
import static faultsim.machine.Scenario.release;
import static faultsim.machine.Scenario.releaseRead;
import static faultsim.machine.Scenario.tryAcquire;
import static org.assertj.core.api.Assertions.assertThat;

import faultsim.machine.Scenario;
import org.junit.jupiter.api.Test;

/**
 * {@code rwlock_t} as the queued rwlock (kernel/locking/qrwlock.c), every cost zero so that the
 * times follow from the scripts: a waiting writer stops new readers, the queue is FIFO, and
 * consecutive queued readers enter together.
 */
final class RwLockTest {
  private static Scenario zeroCost(int cores) {
    return new Scenario(Scenario.zeroCost(cores, false));
  }

  @Test
  void readLock_writerQueued_readerWaitsBehindIt() {
    // R1 reads 0..10 us. W asks at 1 us: a reader holds, W queues and spins. R2 asks at 2 us:
    // no writer holds, but W is queued (_QW_WAITING), so R2 queues behind W (qrwlock is fair in
    // process context, unlike rwlock readers in interrupt context). R1 unlocks at 10: W enters,
    // writes 5 us, unlocks at 15: R2 enters at 15.
    Scenario s = zeroCost(3);
    Lock rw = s.lock("&mm->mm_rb_lock", LockKind.RWLOCK);
    s.spawn("R1", 0, acquireRead(rw), cpu(10_000), releaseRead(rw));
    s.spawn("W", 1_000, acquire(rw), s.mark("W acquired"), cpu(5_000), release(rw));
    s.spawn("R2", 2_000, acquireRead(rw), s.mark("R2 acquired"), releaseRead(rw));
    s.run();
    assertThat(s.time("W acquired")).isEqualTo(10_000);
    assertThat(s.time("R2 acquired")).isEqualTo(15_000);
    // Both waits are contentions: W 1 -> 10 us, R2 2 -> 15 us.
    assertThat(rw.lockClass().write().contentions()).isEqualTo(1);
    assertThat(rw.lockClass().write().waitTotalNs()).isEqualTo(9_000);
    assertThat(rw.lockClass().read().waitTotalNs()).isEqualTo(13_000);
  }

  @Test
  void writeUnlock_queuedReadersBehindEachOtherEnterTogether() {
    // W writes 0..10 us. R1 (1 us), R2 (2 us) queue; W2 (3 us) queues behind them; R3 (4 us)
    // behind W2. At 10 the head R1 enters and lets R2 in with it; W2 waits for both, which
    // read 5 us: W2 enters at 15 and writes 5 us; R3 enters at 20.
    Scenario s = zeroCost(5);
    Lock rw = s.lock("rw", LockKind.RWLOCK);
    s.spawn("W", 0, acquire(rw), cpu(10_000), release(rw));
    s.spawn("R1", 1_000, acquireRead(rw), s.mark("R1"), cpu(5_000), releaseRead(rw));
    s.spawn("R2", 2_000, acquireRead(rw), s.mark("R2"), cpu(5_000), releaseRead(rw));
    s.spawn("W2", 3_000, acquire(rw), s.mark("W2"), cpu(5_000), release(rw));
    s.spawn("R3", 4_000, acquireRead(rw), s.mark("R3"), releaseRead(rw));
    s.run();
    assertThat(s.time("R1")).isEqualTo(10_000);
    assertThat(s.time("R2")).isEqualTo(10_000);
    assertThat(s.time("W2")).isEqualTo(15_000);
    assertThat(s.time("R3")).isEqualTo(20_000);
  }

  @Test
  void trylocks_readFailsOnlyWhenAWriterHoldsOrWaits() {
    // R holds for read 0..10 us; T's read_trylock at 1 us succeeds (no writer), its
    // write_trylock at 2 us fails (count not zero). W queues at 3 us; T's read_trylock at 4 us
    // fails (_QW_WAITING set).
    Scenario s = zeroCost(3);
    Lock rw = s.lock("rw", LockKind.RWLOCK);
    s.spawn("R", 0, acquireRead(rw), cpu(10_000), releaseRead(rw));
    s.spawn("W", 3_000, acquire(rw), release(rw));
    s.spawn("T", 1_000, tryAcquire(rw, false), s.result("read at 1"), releaseRead(rw),
        cpu(1_000), tryAcquire(rw, true), s.result("write at 2"), cpu(2_000),
        tryAcquire(rw, false), s.result("read at 4"));
    s.run();
    assertThat(s.value("read at 1")).isEqualTo(1);
    assertThat(s.value("write at 2")).isEqualTo(0);
    assertThat(s.value("read at 4")).isEqualTo(0);
  }
}
