package faultsim.locks;

import static faultsim.machine.Scenario.cpu;
import static org.assertj.core.api.Assertions.assertThat;

import faultsim.machine.Scenario;
import faultsim.machine.Scenario.Op;
import faultsim.machine.Task;
import org.junit.jupiter.api.Test;

/** {@code wait_event} / {@code wake_up_all} on a {@link WaitQueue}. */
final class WaitQueueTest {

  @Test
  void waitEvent_wokenWhileConditionFalse_sleepsAgainUntilItHolds() {
    // Every cost zero, 3 cores. A counter starts at 0.
    //   0      T1 waits for counter >= 2 (false: sleeps); T2 waits for counter >= 1 (sleeps)
    //   5 us   the setter makes it 1 and calls wake_up_all: both wake and re-check; T2's holds,
    //          so T2 goes on at 5 us; T1's does not, so T1 sleeps again
    //   6 us   a probe sees one sleeper
    //   10 us  the setter makes it 2 and calls wake_up_all: T1 re-checks and goes on at 10 us
    // T1 evaluates its condition three times (0, 5, 10 us), T2 twice (0, 5 us).
    Scenario s = new Scenario(Scenario.zeroCost(3, true));
    WaitQueue wq = new WaitQueue(s.machine(), "&inode->i_wait");
    long[] counter = {0};
    int[] evaluations = {0, 0};
    Op set1 = t -> counter[0] = 1;
    Op set2 = t -> counter[0] = 2;
    Op wakeAll = t -> wq.wakeUpAll(t);
    s.spawn("T1", 0, t -> wq.waitEvent(t, () -> ++evaluations[0] > 0 && counter[0] >= 2),
        s.mark("T1 goes on"));
    s.spawn("T2", 0, t -> wq.waitEvent(t, () -> ++evaluations[1] > 0 && counter[0] >= 1),
        s.mark("T2 goes on"));
    s.spawn("setter", 5_000, set1, wakeAll, cpu(5_000), set2, wakeAll);
    s.spawn("probe", 6_000, s.observe("sleepers at 6 us", wq::sleepers));

    s.run();

    assertThat(s.time("T2 goes on")).isEqualTo(5_000);
    assertThat(s.value("sleepers at 6 us")).isEqualTo(1);
    assertThat(s.time("T1 goes on")).isEqualTo(10_000);
    assertThat(evaluations).containsExactly(3, 2);
    assertThat(wq.sleepers()).isZero();
  }

  @Test
  void waitEvent_conditionAlreadyTrue_returnsAtOnceWithoutSleeping() {
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    WaitQueue wq = new WaitQueue(s.machine(), "&inode->i_wait");
    Task t = s.spawn("T", 1_000, u -> wq.waitEvent(u, () -> true), s.mark("goes on"));

    s.run();

    assertThat(s.time("goes on")).isEqualTo(1_000);
    assertThat(t.timeInStateNs(Task.State.SLEEPING)).isZero();
  }
}
