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
 * reschedules from inside events, stops and runs to a limit.
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

  @Property(tries = 500)
  void sameFiringOrderAsHenriksen(@ForAll("scripts") List<Op> script,
      @ForAll("reactions") List<Integer> react, @ForAll boolean stopInEvent) {
    assertThat(ours(script, react, stopInEvent)).isEqualTo(ssj(script, react, stopInEvent));
  }

  /** The log of firings (timer@time, stops, clock after each run) on the engine. */
  private static List<String> ours(List<Op> script, List<Integer> react, boolean stopInEvent) {
    Engine engine = new Engine();
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
