package faultsim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Engine}: time order, the same-time tie rule, stopping, and bad input. */
final class EngineTest {
  private final Engine engine = new Engine();
  private final List<String> log = new ArrayList<>();

  private Engine.Timer timer(String name) {
    return timer(name, () -> {});
  }

  private Engine.Timer timer(String name, Runnable then) {
    return new Engine.Timer(engine) {
      @Override
      protected void fire() {
        log.add(name + "@" + engine.now());
        then.run();
      }
    };
  }

  @Test
  void timers_sameTime_fireInSchedulingOrder() {
    // Scheduled at 10, 5, 10, 0: by time, and the two at 10 in the order they were scheduled.
    engine.schedule(timer("a"), 10);
    engine.schedule(timer("b"), 5);
    engine.schedule(timer("c"), 10);
    engine.schedule(timer("d"), 0);

    engine.runUntil(100);

    assertThat(log).containsExactly("d@0", "b@5", "a@10", "c@10");
    assertThat(engine.now()).isEqualTo(100);
  }

  @Test
  void timer_scheduledAtZeroDelayInsideEvent_firesAfterSameTimeEventsAlreadyQueued() {
    // a (10) schedules x at +0 while b (10) is already queued: x goes after b.
    Engine.Timer x = timer("x");
    engine.schedule(timer("a", () -> engine.schedule(x, 0)), 10);
    engine.schedule(timer("b"), 10);

    engine.runUntil(10);

    assertThat(log).containsExactly("a@10", "b@10", "x@10");
  }

  @Test
  void farEvent_andNearEventOfTheSameTime_fireInSchedulingOrder() {
    // a is scheduled at time 0 for 5,000 ns, beyond the wheel's 4,096 ns, so it waits in the far
    // heap. c fires at 2,000 and schedules b for +3,000 = 5,000 as well, which is now within
    // the wheel. a was scheduled first, so a fires before b though they sit in different parts
    // of the list; d at 4,999 fires before both.
    Engine.Timer a = timer("a");
    Engine.Timer b = timer("b");
    Engine.Timer d = timer("d");
    engine.schedule(a, 5_000);
    engine.schedule(timer("c", () -> {
      engine.schedule(b, 3_000);
      engine.schedule(d, 2_999);
    }), 2_000);

    engine.runUntil(10_000);

    assertThat(log).containsExactly("c@2000", "d@4999", "a@5000", "b@5000");
  }

  @Test
  void cancel_inEitherPartOfTheList_takesTheEventOut() {
    // x near (wheel), y far (heap): both cancelled before they fire; z still fires.
    Engine.Timer x = timer("x");
    Engine.Timer y = timer("y");
    engine.schedule(x, 10);
    engine.schedule(y, 1_000_000);
    engine.schedule(timer("z"), 20);
    assertThat(engine.pending()).isEqualTo(3);

    engine.cancel(x);
    engine.cancel(y);

    assertThat(x.pending()).isFalse();
    assertThat(y.pending()).isFalse();
    assertThat(engine.pending()).isEqualTo(1);
    engine.runUntil(2_000_000);
    assertThat(log).containsExactly("z@20");
  }

  @Test
  void intrinsicOrder_sameTime_byTimerCreation_zeroDelayInTheNextDeltaCycle() {
    // Timers made in the order a, b, x, c (ids 0..3). a and c at 10, b at 5, scheduled c first:
    // by time, then the two at 10 by id (a before c), whatever the scheduling order. a schedules
    // x (id 2) for now: x is in the next delta cycle of time 10, so after c although its id is
    // smaller; under the default rule x would also go last (scheduled last).
    engine.setIntrinsicOrder(true);
    Engine.Timer[] xs = new Engine.Timer[1];
    Engine.Timer a = timer("a", () -> engine.schedule(xs[0], 0));
    Engine.Timer b = timer("b");
    xs[0] = timer("x");
    Engine.Timer c = timer("c");
    engine.schedule(c, 10);
    engine.schedule(b, 5);
    engine.schedule(a, 10);

    engine.runUntil(10);

    assertThat(log).containsExactly("b@5", "a@10", "c@10", "x@10");
  }

  @Test
  void intrinsicOrder_catchUp_firesExactlyTheEventsBeforeTheTimersKey() {
    // Timers t0 (id 0), e (1), f (2), g (3). t0 fires at 0 and, inside its event, moves its
    // clock to 20 inline and catches up: the events before (20, t0) fire, which is f at 10
    // only; e and g are at 20 with larger ids, so they come after t0's step at 20 and fire
    // once t0's event is over, in id order.
    engine.setIntrinsicOrder(true);
    Engine.Timer[] t0 = new Engine.Timer[1];
    t0[0] = timer("t0", () -> {
      engine.advanceInline(t0[0], 20);
      assertThat(engine.catchUp(t0[0])).isTrue();
      log.add("t0 again@" + engine.now());
    });
    Engine.Timer e = timer("e");
    Engine.Timer f = timer("f");
    Engine.Timer g = timer("g");
    engine.schedule(t0[0], 0);
    engine.schedule(e, 20);
    engine.schedule(f, 10);
    engine.schedule(g, 20);

    engine.runUntil(100);

    assertThat(log).containsExactly("t0@0", "f@10", "t0 again@20", "e@20", "g@20");
    // Four events and the inline step.
    assertThat(engine.eventsFired()).isEqualTo(6);
  }

  @Test
  void intrinsicOrder_afterScheduling_isRefused() {
    engine.schedule(timer("a"), 1);
    assertThatThrownBy(() -> engine.setIntrinsicOrder(true))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void runUntil_eventsAfterLimit_stayPendingForNextRun() {
    Engine.Timer late = timer("late");
    engine.schedule(timer("early"), 5);
    engine.schedule(late, 50);

    engine.runUntil(20);

    assertThat(log).containsExactly("early@5");
    assertThat(engine.now()).isEqualTo(20);
    assertThat(late.pending()).isTrue();

    engine.runUntil(60);

    assertThat(log).containsExactly("early@5", "late@50");
    assertThat(late.pending()).isFalse();
  }

  @Test
  void eventsFired_countsEachRunThatReachesItsLimitAsOneEvent() {
    // Two timers fire, then the run ends at its limit: 3. A second run stopped inside its only
    // event does not reach its limit: 4. An empty run to a later limit: 5.
    engine.schedule(timer("a"), 5);
    engine.schedule(timer("b"), 6);
    engine.runUntil(10);
    assertThat(engine.eventsFired()).isEqualTo(3);

    engine.schedule(timer("c", engine::stop), 5);
    engine.runUntil(100);
    assertThat(engine.eventsFired()).isEqualTo(4);
    assertThat(engine.now()).isEqualTo(15);

    engine.runUntil(200);
    assertThat(engine.eventsFired()).isEqualTo(5);
  }

  @Test
  void stop_insideEvent_stopsAfterItWithClockAtThatEvent() {
    engine.schedule(timer("a", engine::stop), 5);
    engine.schedule(timer("b"), 6);

    engine.runUntil(100);

    assertThat(log).containsExactly("a@5");
    assertThat(engine.now()).isEqualTo(5);

    engine.runUntil(100);

    assertThat(log).containsExactly("a@5", "b@6");
  }

  @Test
  void cancel_pendingTimer_neverFiresAndCanBeReused() {
    Engine.Timer t = timer("t");
    engine.schedule(t, 5);
    engine.cancel(t);

    engine.runUntil(10);

    assertThat(log).isEmpty();
    assertThat(t.pending()).isFalse();

    engine.schedule(t, 3);
    engine.runUntil(20);

    assertThat(log).containsExactly("t@13");
  }

  @Test
  void schedule_negativeDelay_messageNamesDelay() {
    assertThatThrownBy(() -> engine.schedule(timer("t"), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot schedule an event -1 ns in the past");
  }

  @Test
  void schedule_timerAlreadyPending_illegalState() {
    Engine.Timer t = timer("t");
    engine.schedule(t, 5);

    assertThatThrownBy(() -> engine.schedule(t, 7))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already scheduled");
  }

  @Test
  void runUntil_beforeNow_messageNamesBothTimes() {
    engine.runUntil(10);

    assertThatThrownBy(() -> engine.runUntil(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot run until 5 ns: clock is at 10");
  }
}
