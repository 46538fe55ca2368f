package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.machine.MachineSpec;
import faultsim.machine.Scenario;
import faultsim.machine.SpinlockKind;
import faultsim.workload.InputException;
import org.junit.jupiter.api.Test;

/**
 * {@code wait_event}/{@code wake_up_all} between two tasks, and the values
 * {@code read_seqcount_begin}/{@code read_seqcount_retry} give a design, on 2 cores where every
 * cost is zero except the wake-up latency (1 us).
 */
final class WaitAndSeqcountTest {
  private static final String DESIGN = """
      design waits;
      void waiter(struct box *b) {
          wait_event(b->wq, b->ready);
          b->value = b->value + 1;
      }
      void waker(struct box *b) {
          cpu(5us);
          b->ready = true;
          wake_up_all(&b->wq);
      }
      void early_waker(struct box *b) {
          cpu(2us);
          wake_up_all(&b->wq);
          cpu(3us);
          b->ready = true;
          wake_up_all(&b->wq);
      }
      int reader(struct box *b) {
          int seq = read_seqcount_begin(&b->seq);
          cpu(1us);
          if (read_seqcount_retry(&b->seq, seq)) { return -1; }
          return seq;
      }
      void writer(struct box *b) {
          cpu(500ns);
          write_seqcount_begin(&b->seq);
          cpu(2us);
          write_seqcount_end(&b->seq);
      }
      int reader_loop(struct box *b) {
          int tries = 0;
          int seq = 0;
          while (true) {
              tries = tries + 1;
              seq = read_seqcount_begin(&b->seq);
              cpu(1us);
              if (!read_seqcount_retry(&b->seq, seq)) break;
          }
          return tries * 1000 + seq;
      }
      """;

  private static Runs runs() {
    return new Runs(new MachineSpec(2, 1, SpinlockKind.QUEUED, false,
        Scenario.zeroExceptWakeup(1_000)));
  }

  @Test
  void waitEvent_sleepsUntilWokenWithConditionTrue() throws InputException {
    //   0     W: ready is false -> sleeps on b->wq
    //   5000  K: ready = true, wake_up_all -> W runnable after the wake-up latency
    //   6000  W re-checks: true -> value 1, returns
    CompiledDesign d = TestHost.compile(DESIGN);
    Runs r = runs();
    Box box = r.box(1);
    DesignProgram w = r.spawn("W", 0, d, "waiter", box);
    DesignProgram k = r.spawn("K", 0, d, "waker", box);
    r.runAll();
    assertThat(w.finishTimes()).containsExactly(6_000L);
    assertThat(k.finishTimes()).containsExactly(5_000L);
    assertThat(box.value).isEqualTo(1);
    assertThat(r.log.lines).containsExactly(
        "0 W enter waiter",
        "0 W wait_event @test.design:3:5",
        "0 K enter waker",
        "0 K cpu @test.design:7:5",
        "5000 K wake_up_all @test.design:9:5",
        "5000 K exit waker",
        "6000 W exit waiter");
  }

  @Test
  void waitEvent_wokenWhileConditionFalse_sleepsAgain() throws InputException {
    //   0     W sleeps
    //   2000  K wakes it with ready still false -> W runs at 3000, re-checks, sleeps again
    //   5000  K sets ready and wakes it -> W runs at 6000 and goes on
    CompiledDesign d = TestHost.compile(DESIGN);
    Runs r = runs();
    Box box = r.box(1);
    DesignProgram w = r.spawn("W", 0, d, "waiter", box);
    r.spawn("K", 0, d, "early_waker", box);
    r.runAll();
    assertThat(w.finishTimes()).containsExactly(6_000L);
    assertThat(r.log.lines).filteredOn(l -> l.contains(" W ")).containsExactly(
        "0 W enter waiter",
        "0 W wait_event @test.design:3:5",
        "3000 W wait_event @test.design:3:5",
        "6000 W exit waiter");
  }

  @Test
  void readSeqcount_writerInTheMiddle_retryReportsIt() throws InputException {
    //   0     R reads the even sequence 0, computes to 1000
    //   500   Wr begins a write section: sequence 1; ends at 2500: sequence 2
    //   1000  R: read_seqcount_retry sees 1 != 0 -> returns -1
    CompiledDesign d = TestHost.compile(DESIGN);
    Runs r = runs();
    Box box = r.box(1);
    DesignProgram reader = r.spawn("R", 0, d, "reader", box);
    r.spawn("Wr", 0, d, "writer", box);
    r.runAll();
    assertThat(reader.results()).containsExactly(-1L);
    assertThat(box.seq.sequence()).isEqualTo(2);
  }

  @Test
  void readSeqcount_noWriter_returnsTheSnapshot() throws InputException {
    CompiledDesign d = TestHost.compile(DESIGN);
    Runs r = runs();
    Box box = r.box(1);
    assertThat(r.call(d, "reader", box)).isEqualTo(0L);
  }

  @Test
  void readSeqcountBegin_oddCount_spinsAndReadsTheValueWhenResumed() throws InputException {
    //   0     try 1: sequence 0, compute to 1000; retry: 1 != 0 (writer inside since 500)
    //   1000  try 2: sequence odd -> spins until the writer ends at 2500; the value it resumes
    //         with is the new even sequence 2; compute to 3500; retry: 2 == 2 -> done
    // returns 2 * 1000 + 2.
    CompiledDesign d = TestHost.compile(DESIGN);
    Runs r = runs();
    Box box = r.box(1);
    DesignProgram reader = r.spawn("R", 0, d, "reader_loop", box);
    r.spawn("Wr", 0, d, "writer", box);
    r.runAll();
    assertThat(reader.results()).containsExactly(2_002L);
    assertThat(reader.finishTimes()).containsExactly(3_500L);
    assertThat(r.s.machine().core(0).spinNs()).isEqualTo(1_500);
  }
}
