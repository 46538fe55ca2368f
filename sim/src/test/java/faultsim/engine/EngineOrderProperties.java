package faultsim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import umontreal.ssj.simevents.Event;
import umontreal.ssj.simevents.Simulator;
import umontreal.ssj.simevents.eventlist.Henriksen;

/**
 * The engine's event list fires events in the same order, at the same times, as an SSJ
 * {@link Simulator} with a {@link Henriksen} list (the list the engine used before; its order is
 * the reference for every result the simulator has produced): by time, same-time events in the
 * order they were scheduled, over random mixes of schedules (with many ties), cancels,
 * reschedules from inside events, stops and runs to a limit. The engine runs with wheels of
 * 1 to 8 ns as well as its own size, so that events go to its far heap and the two parts'
 * first events are compared with each other; with the intrinsic order, against a plain list
 * searched for the smallest key.
 */
class EngineOrderProperties {
  /** One step of a script: what a timer does when it fires, or what the driver does between runs. */
  record Op(int kind, int timer, int delay) {}

  private static final int TIMERS = 40;

  @Provide
  Arbitrary<List<Op>> scripts() {
    // Delays 0..4 ns make ties frequent; kinds: 0..1 schedule, 2 cancel, 3 run further.
    return Combinators.combine(Arbitraries.integers().between(0, 3),
        Arbitraries.integers().between(0, TIMERS - 1), Arbitraries.integers().between(0, 4))
        .as(Op::new).list().ofMinSize(1).ofMaxSize(80);
  }

  @Provide
  Arbitrary<List<Integer>> reactions() {
    // What timer i does when it fires: -1 nothing, r < TIMERS * 8: schedule timer r / 8 with a
    // delay of 1 + r % 8 ns (at least 1 ns, so that firings cannot chain forever at one time),
    // r >= TIMERS * 8: cancel timer (r - TIMERS * 8) / 8. Two of these per timer, done in
    // order, so that a timer may schedule itself and then cancel itself, or cancel another timer
    // while it fires.
    return Arbitraries.integers().between(-1, TIMERS * 16 - 1).list().ofSize(2 * TIMERS);
  }

  @Provide
  Arbitrary<Integer> wheels() {
    return Arbitraries.of(1, 2, 4, 8, Engine.WHEEL_NS);
  }

  @Property(tries = 500)
  void sameFiringOrderAsHenriksen(@ForAll("scripts") List<Op> script,
      @ForAll("reactions") List<Integer> react, @ForAll boolean stopInEvent,
      @ForAll("wheels") int wheel) {
    assertThat(ours(script, react, stopInEvent, wheel, false))
        .isEqualTo(ssj(script, react, stopInEvent));
  }

  @Property(tries = 300)
  void intrinsicOrder_sameFiringOrderAsSmallestKeyFirst(@ForAll("scripts") List<Op> script,
      @ForAll("reactions") List<Integer> react, @ForAll boolean stopInEvent,
      @ForAll("wheels") int wheel) {
    assertThat(ours(script, react, stopInEvent, wheel, true))
        .isEqualTo(smallestKeyFirst(script, react, stopInEvent));
  }

  /** The log of firings (timer@time, stops, clock after each run) on the engine. */
  private static List<String> ours(List<Op> script, List<Integer> react, boolean stopInEvent,
      int wheel, boolean intrinsic) {
    Engine engine = new Engine(wheel);
    engine.setIntrinsicOrder(intrinsic);
    List<String> log = new ArrayList<>();
    Engine.Timer[] timers = new Engine.Timer[TIMERS];
    for (int i = 0; i < TIMERS; i++) {
      int id = i;
      timers[i] = new Engine.Timer(engine) {
        @Override
        protected void fire() {
          log.add(id + "@" + engine.now());
          for (int r : react.subList(2 * id, 2 * id + 2)) {
            if (r >= TIMERS * 8) {
              engine.cancel(timers[(r - TIMERS * 8) / 8]);
            } else if (r >= 0 && !timers[r / 8].pending()) {
              engine.schedule(timers[r / 8], 1 + r % 8);
            }
          }
          if (stopInEvent && id == 0) {
            engine.stop();
          }
        }
      };
    }
    for (Op op : script) {
      switch (op.kind()) {
        case 0, 1 -> {
          if (!timers[op.timer()].pending()) {
            engine.schedule(timers[op.timer()], op.delay());
          }
        }
        case 2 -> engine.cancel(timers[op.timer()]);
        default -> {
          engine.runUntil(engine.now() + op.delay() * 3L);
          log.add("clock " + engine.now());
        }
      }
    }
    engine.runUntil(engine.now() + 1000);
    log.add("clock " + engine.now());
    return log;
  }

  /**
   * The same script under the intrinsic order, on a list of pending timers searched for the
   * smallest key (time, delta cycle, timer id) at each firing: delta cycle 0 for an event
   * scheduled with a delay, the firing event's cycle plus one for an event scheduled for now.
   * Timer i is made i-th, so its id is i.
   */
  private static List<String> smallestKeyFirst(List<Op> script, List<Integer> react,
      boolean stopInEvent) {
    List<String> log = new ArrayList<>();
    long[] time = new long[TIMERS];
    long[] delta = new long[TIMERS];
    boolean[] pending = new boolean[TIMERS];
    long[] clock = {0, 0}; // now, delta cycle of the event running
    Runnable[] fire = new Runnable[TIMERS];
    java.util.function.BiConsumer<Integer, Long> schedule = (t, d) -> {
      time[t] = clock[0] + d;
      delta[t] = d == 0 ? clock[1] + 1 : 0;
      pending[t] = true;
    };
    boolean[] stopped = {false};
    for (int i = 0; i < TIMERS; i++) {
      int id = i;
      fire[i] = () -> {
        log.add(id + "@" + clock[0]);
        for (int r : react.subList(2 * id, 2 * id + 2)) {
          if (r >= TIMERS * 8) {
            pending[(r - TIMERS * 8) / 8] = false;
          } else if (r >= 0 && !pending[r / 8]) {
            schedule.accept(r / 8, 1L + r % 8);
          }
        }
        if (stopInEvent && id == 0) {
          stopped[0] = true;
        }
      };
    }
    java.util.function.LongConsumer run = until -> {
      stopped[0] = false;
      while (true) {
        int min = -1;
        for (int t = 0; t < TIMERS; t++) {
          if (pending[t] && (min < 0 || time[t] < time[min]
              || (time[t] == time[min] && delta[t] < delta[min]))) {
            min = t; // equal keys cannot happen: ids differ, and t > min
          }
        }
        if (min < 0 || time[min] > until) {
          clock[0] = until;
          return;
        }
        pending[min] = false;
        clock[0] = time[min];
        clock[1] = delta[min];
        fire[min].run();
        if (stopped[0]) {
          return;
        }
      }
    };
    for (Op op : script) {
      switch (op.kind()) {
        case 0, 1 -> {
          if (!pending[op.timer()]) {
            schedule.accept(op.timer(), (long) op.delay());
          }
        }
        case 2 -> pending[op.timer()] = false;
        default -> {
          run.accept(clock[0] + op.delay() * 3L);
          log.add("clock " + clock[0]);
        }
      }
    }
    run.accept(clock[0] + 1000);
    log.add("clock " + clock[0]);
    return log;
  }

  /** The same script on SSJ, with a stopping event of the largest priority as the engine had. */
  private static List<String> ssj(List<Op> script, List<Integer> react, boolean stopInEvent) {
    Simulator sim = new Simulator(new Henriksen());
    sim.init();
    List<String> log = new ArrayList<>();
    Event[] timers = new Event[TIMERS];
    for (int i = 0; i < TIMERS; i++) {
      int id = i;
      timers[i] = new Event(sim) {
        @Override
        public void actions() {
          log.add(id + "@" + (long) sim.time());
          for (int r : react.subList(2 * id, 2 * id + 2)) {
            if (r >= TIMERS * 8) {
              timers[(r - TIMERS * 8) / 8].cancel();
            } else if (r >= 0 && !(timers[r / 8].time() > -1.0)) {
              timers[r / 8].schedule(1 + r % 8);
            }
          }
          if (stopInEvent && id == 0) {
            sim.stop();
          }
        }
      };
    }
    for (Op op : script) {
      switch (op.kind()) {
        case 0, 1 -> {
          if (!(timers[op.timer()].time() > -1.0)) {
            timers[op.timer()].schedule(op.delay());
          }
        }
        case 2 -> timers[op.timer()].cancel();
        default -> {
          run(sim, (long) sim.time() + op.delay() * 3L);
          log.add("clock " + (long) sim.time());
        }
      }
    }
    run(sim, (long) sim.time() + 1000);
    log.add("clock " + (long) sim.time());
    return log;
  }

  private static void run(Simulator sim, long untilNs) {
    Event stopper = new Event(sim) {
      @Override
      public void actions() {
        sim.stop();
      }
    };
    stopper.setPriority(Double.MAX_VALUE);
    stopper.schedule(untilNs - sim.time());
    sim.start();
    stopper.cancel();
  }
}
