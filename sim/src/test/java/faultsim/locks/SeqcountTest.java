package faultsim.locks;

import static faultsim.machine.Scenario.acquire;
import static faultsim.machine.Scenario.cpu;
import static faultsim.machine.Scenario.release;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.machine.CostProfile;
import faultsim.machine.MachineSpec;
import faultsim.machine.Scenario;
import faultsim.machine.Scenario.Op;
import faultsim.machine.SimulationException;
import faultsim.machine.SpinlockKind;
import faultsim.machine.Task;
import org.junit.jupiter.api.Test;

/** {@code seqcount_t} in hand-worked scenarios (kernel-paths.md §B, "Seqcount / seqlock"). */
final class SeqcountTest {
  private static final String CLASS = "&vma->vm_lock_seq";

  /** A reader's script pieces: begin, keep the snapshot, retry against it. */
  private static final class Reader {
    private final Seqcount sc;
    private long snapshot = -1;

    Reader(Seqcount sc) {
      this.sc = sc;
    }

    Op begin() {
      return t -> sc.readBegin(t);
    }

    Op keep() {
      return t -> snapshot = t.result();
    }

    Op retry() {
      return t -> sc.readRetry(t, snapshot);
    }
  }

  @Test
  void readRetry_writerIntervened_retriesThenSpinsOnOddCountThenSucceeds() {
    // Every cost zero, 2 cores.
    //   0      R: read_seqcount_begin -> 0 (even), reads for 7 us
    //   5 us   W: write_seqcount_begin -> count 1 (odd), writes 5 us
    //   7      R: read_seqcount_retry(0): count is 1 -> 1 (retry)
    //   7      R: read_seqcount_begin: count odd -> spins on its core
    //   10     W: write_seqcount_end -> count 2; R sees it at once (no transfer cost)
    //   10     R: snapshot 2, reads 1 us; read_seqcount_retry(2) at 11 us -> 0 (done)
    // R spins 7 -> 10 = 3 us. Read side: 2 begins, 1 of them contended for 3 us.
    Scenario s = new Scenario(Scenario.zeroCost(2, true));
    Seqcount sc = (Seqcount) s.lock(CLASS, LockKind.SEQCOUNT);
    Reader r = new Reader(sc);
    Task reader = s.spawn("R", 0,
        r.begin(), s.result("first snapshot"), r.keep(), cpu(7_000),
        r.retry(), s.result("retry at 7 us"),
        r.begin(), s.mark("second snapshot taken"), s.result("second snapshot"), r.keep(),
        cpu(1_000), r.retry(), s.result("retry at 11 us"));
    s.spawn("W", 5_000, acquire(sc), s.observe("count inside write", sc::sequence), cpu(5_000),
        release(sc));

    s.run();

    assertThat(s.value("first snapshot")).isEqualTo(0);
    assertThat(s.value("count inside write")).isEqualTo(1);
    assertThat(s.value("retry at 7 us")).isEqualTo(1);
    assertThat(s.time("second snapshot taken")).isEqualTo(10_000);
    assertThat(s.value("second snapshot")).isEqualTo(2);
    assertThat(s.value("retry at 11 us")).isEqualTo(0);
    assertThat(reader.timeInStateNs(Task.State.SPINNING)).isEqualTo(3_000);
    LockStats read = sc.lockClass().read();
    assertThat(read.acquisitions()).isEqualTo(2);
    assertThat(read.contentions()).isEqualTo(1);
    assertThat(read.waitTotalNs()).isEqualTo(3_000);
    assertThat(sc.lockClass().write().holdTotalNs()).isEqualTo(5_000);
  }

  @Test
  void readBegin_oddCountWithTransferCost_spinnerSeesEvenCountTwoTransfersLater() {
    // Transfers 100 ns, local atomics free. W begins at 0 on cpu0 (its atomic fetches the
    // unowned line: 100 ns), so the section is 0 .. 0.1 + 5 = 5.1 us; R on cpu1 begins at 1 us,
    // reads the odd count (a copy of W's line: both now share it) and spins on it.
    // write_seqcount_end at 5.1 us invalidates R's copy (5.2 us); R's re-read brings the even
    // count back to cpu1 at 5.3 us, snapshot 2.
    Scenario s = new Scenario(new MachineSpec(2, 1, SpinlockKind.QUEUED, true,
        CostProfile.ZERO.withTransfers(100, 100)));
    Seqcount sc = (Seqcount) s.lock(CLASS, LockKind.SEQCOUNT);
    Reader r = new Reader(sc);
    s.spawn("W", 0, acquire(sc), cpu(5_000), s.mark("write end"), release(sc));
    s.spawn("R", 1_000, r.begin(), s.mark("snapshot taken"), s.result("snapshot"));

    s.run();

    assertThat(s.time("write end")).isEqualTo(5_100);
    assertThat(s.time("snapshot taken")).isEqualTo(5_300);
    assertThat(s.value("snapshot")).isEqualTo(2);
  }

  @Test
  void writeSeqcountBegin_overlappingWriters_isFault() {
    Scenario s = new Scenario(Scenario.zeroCost(2, true));
    Lock sc = s.lock(CLASS, LockKind.SEQCOUNT);
    s.spawn("W1", 0, acquire(sc), cpu(10_000), release(sc));
    s.spawn("W2", 1_000, acquire(sc), cpu(1_000), release(sc));

    assertThatThrownBy(s::run)
        .isInstanceOf(SimulationException.class)
        .hasMessage("task W2 at 1000 ns: write_seqcount_begin(&vma->vm_lock_seq) while W1 is"
            + " inside a write section: writers must be serialised");
  }

  @Test
  void writeSeqcountEnd_outsideWriteSection_isFault() {
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    Lock sc = s.lock(CLASS, LockKind.SEQCOUNT);
    s.spawn("W", 0, release(sc));

    assertThatThrownBy(s::run)
        .isInstanceOf(SimulationException.class)
        .hasMessage("task W at 0 ns: write_seqcount_end(&vma->vm_lock_seq) outside a write"
            + " section");
  }
}
