package faultsim.fault;

import faultsim.machine.Task;
import umontreal.ssj.rng.RandomStream;

/**
 * A job task's pacing before each operation: compute ({@code thinktime_spin}), sleep
 * ({@code thinktime}), and wait for the next slot of {@code rate}. Returns true while it has put
 * the task to work.
 */
final class Pacer {
  private final KernelSpec.Pacing pacing;
  private final RandomStream stream;
  private int phase;
  private long nextSlotNs = -1;

  Pacer(KernelSpec.Pacing pacing, RandomStream stream) {
    this.pacing = pacing;
    this.stream = stream;
  }

  /**
   * Takes the next pacing step for {@code t}; false once the task may start its operation (then
   * the next call starts the next operation's pacing).
   */
  boolean step(Task t) {
    while (true) {
      switch (phase++) {
        case 0 -> {
          if (pacing.thinktimeSpin() != null) {
            t.cpu(pacing.thinktimeSpin().sample(stream));
            return true;
          }
        }
        case 1 -> {
          if (pacing.thinktime() != null) {
            long ns = pacing.thinktime().sample(stream);
            if (ns > 0) {
              t.sleepFor(ns);
              return true;
            }
          }
        }
        case 2 -> {
          if (pacing.ratePeriodNs() > 0) {
            long now = t.machine().engine().now();
            if (nextSlotNs < 0) {
              nextSlotNs = now;
            }
            long wait = nextSlotNs - now;
            nextSlotNs = Math.max(nextSlotNs, now) + pacing.ratePeriodNs();
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
