package faultsim.synthetic;

import faultsim.engine.Dist;
import faultsim.machine.Task;
import umontreal.ssj.rng.RandomStream;

/**
 * A job task's pacing before each operation, as fio paces a job: compute
 * ({@code thinktime_spin}), sleep ({@code thinktime}), then wait for the next slot of
 * {@code rate} (operations evenly spaced; a late operation starts at once and the next slot is
 * one period after it).
 */
public final class Pacer {
  private final Dist thinktimeSpin;
  private final Dist thinktime;
  private final long ratePeriodNs;
  private final RandomStream stream;
  private int phase;
  private long nextSlotNs = -1;

  /**
   * @param thinktimeSpin computation before each operation (null: none)
   * @param thinktime sleep before each operation, after any computation (null: none)
   * @param ratePeriodNs time between operation starts (0: back to back)
   * @param stream the task's stream, sampled spin first, then sleep
   */
  public Pacer(Dist thinktimeSpin, Dist thinktime, long ratePeriodNs, RandomStream stream) {
    this.thinktimeSpin = thinktimeSpin;
    this.thinktime = thinktime;
    this.ratePeriodNs = ratePeriodNs;
    this.stream = stream;
  }

  /**
   * Takes the next pacing step for {@code t}; false once the task may start its operation (then
   * the next call starts the next operation's pacing).
   */
  public boolean step(Task t) {
    while (true) {
      switch (phase++) {
        case 0 -> {
          if (thinktimeSpin != null) {
            t.cpu(thinktimeSpin.sample(stream));
            return true;
          }
        }
        case 1 -> {
          if (thinktime != null) {
            long ns = thinktime.sample(stream);
            if (ns > 0) {
              t.sleepFor(ns);
              return true;
            }
          }
        }
        case 2 -> {
          if (ratePeriodNs > 0) {
            long now = t.machine().engine().now();
            if (nextSlotNs < 0) {
              nextSlotNs = now;
            }
            long wait = nextSlotNs - now;
            nextSlotNs = Math.max(nextSlotNs, now) + ratePeriodNs;
            if (wait > 0) {
              t.sleepFor(wait);
              return true;
            }
          }
        }
        default -> {
          phase = 0;
          return false;
        }
      }
    }
  }
}
