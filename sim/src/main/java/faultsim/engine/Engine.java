package faultsim.engine;

import umontreal.ssj.simevents.Event;
import umontreal.ssj.simevents.Simulator;
import umontreal.ssj.simevents.eventlist.Henriksen;

/**
 * The discrete-event clock of one simulation run: one SSJ {@link Simulator} with a
 * {@link Henriksen} event list, owned by this run alone (never SSJ's global default).
 *
 * <p>Time is kept in whole nanoseconds ({@code long}). SSJ stores event times as {@code double};
 * every time handed to it here is an integral number of nanoseconds below 2^53 (104 days), so the
 * conversion is exact.
 *
 * <p><b>Ordering rule.</b> Events fire in order of time; events scheduled for the same time fire
 * in the order they were scheduled (every event has SSJ's default priority, and the Henriksen list
 * inserts a new event after all events that compare equal to it). Runs are therefore
 * deterministic for a given sequence of {@link #schedule} calls. The one exception is the event
 * that ends {@link #runUntil}: it has the largest priority, so it fires after every event at its
 * time, even one scheduled for that time while the run is under way.
 */
public final class Engine {
  private final Simulator sim = new Simulator(new Henriksen());
  private long eventsFired;
  private long stopAtNs = Long.MAX_VALUE;

  public Engine() {
    sim.init();
  }

  /** The current simulated time in nanoseconds. */
  public long now() {
    return (long) sim.time();
  }

  /** Number of events that have fired so far. */
  public long eventsFired() {
    return eventsFired;
  }

  /**
   * Schedules {@code timer} to fire {@code delayNs} from now.
   *
   * @throws IllegalArgumentException if the delay is negative
   * @throws IllegalStateException if the timer is already scheduled
   */
  public void schedule(Timer timer, long delayNs) {
    if (delayNs < 0) {
      throw new IllegalArgumentException("cannot schedule an event " + delayNs + " ns in the past");
    }
    timer.schedule((double) delayNs);
  }

  /** Cancels {@code timer} if it is pending. */
  public void cancel(Timer timer) {
    timer.cancel();
  }

  /**
   * Runs events until the event list is empty, {@link #stop()} is called, or the next event lies
   * after {@code untilNs}; the clock is then at {@code untilNs} or at the last event fired.
   */
  public void runUntil(long untilNs) {
    if (halted) {
      return;
    }
    if (untilNs < now()) {
      throw new IllegalArgumentException("cannot run until " + untilNs + " ns: clock is at " + now());
    }
    stopAtNs = untilNs;
    Timer stopper = new Timer(this) {
      @Override
      protected void fire() {
        sim.stop();
      }
    };
    // After every event at untilNs, including those scheduled at that time during the run:
    // same-time events are ordered by priority (smaller first, model events keep SSJ's 1.0).
    stopper.setPriority(Double.MAX_VALUE);
    schedule(stopper, untilNs - now());
    sim.start();
    stopper.cancel();
  }

  /** Stops the run after the current event. */
  public void stop() {
    sim.stop();
  }

  private boolean halted;

  /**
   * Ends the simulation for good after the current event (a deadlock): later {@link #runUntil}
   * calls return at once, leaving the clock where it stopped.
   */
  public void halt() {
    halted = true;
    sim.stop();
  }

  /** Whether {@link #halt()} was called. */
  public boolean halted() {
    return halted;
  }

  /** The time at which the current {@link #runUntil} call will stop. */
  public long stopAtNs() {
    return stopAtNs;
  }

  /**
   * An event owned by one engine. Subclasses implement {@link #fire()}; a timer may be scheduled
   * again once it has fired or been cancelled, so long-lived objects keep one and reuse it.
   */
  public abstract static class Timer extends Event {
    private final Engine engine;

    protected Timer(Engine engine) {
      super(engine.sim);
      this.engine = engine;
    }

    /** True while this timer is in the event list. */
    public final boolean pending() {
      return time() > -1.0;
    }

    @Override
    public final void actions() {
      engine.eventsFired++;
      fire();
    }

    protected abstract void fire();
  }
}
