package faultsim.stats;

import faultsim.locks.LockClass;
import faultsim.locks.LockStats;
import java.util.ArrayList;
import java.util.List;

/**
 * One side of one lock class's statistics, detached from the run that produced it, so rows from
 * several replications can be summed as {@code /proc/lock_stat} would have counted them in one
 * longer run. Times in nanoseconds.
 *
 * @param className lockdep class name
 * @param side {@code "W"} or {@code "R"} for reader-writer locks, {@code ""} otherwise
 */
public record LockStatRow(
    String className,
    String side,
    long conBounces,
    long contentions,
    long waitMinNs,
    long waitMaxNs,
    long waitTotalNs,
    long acqBounces,
    long acquisitions,
    long holdMinNs,
    long holdMaxNs,
    long holdTotalNs,
    long holds) {

  /** The rows of one class: one, or W then R for reader-writer kinds (sides never used omitted). */
  public static List<LockStatRow> of(LockClass c) {
    List<LockStatRow> rows = new ArrayList<>(2);
    if (!c.kind().hasReadSide()) {
      rows.add(from(c.name(), "", c.write()));
      return rows;
    }
    if (c.write().acquisitions() > 0 || c.write().holds() > 0) {
      rows.add(from(c.name(), "W", c.write()));
    }
    if (c.read().acquisitions() > 0 || c.read().holds() > 0) {
      rows.add(from(c.name(), "R", c.read()));
    }
    return rows;
  }

  private static LockStatRow from(String name, String side, LockStats s) {
    return new LockStatRow(name, side, s.conBounces(), s.contentions(), s.waitMinNs(),
        s.waitMaxNs(), s.waitTotalNs(), s.acqBounces(), s.acquisitions(), s.holdMinNs(),
        s.holdMaxNs(), s.holdTotalNs(), s.holds());
  }

  /** The name as lock_stat prints it: {@code name-W} / {@code name-R} for reader-writer sides. */
  public String displayName() {
    return side.isEmpty() ? className : className + "-" + side;
  }

  public double waitAvgNs() {
    return contentions == 0 ? 0 : (double) waitTotalNs / contentions;
  }

  public double holdAvgNs() {
    return holds == 0 ? 0 : (double) holdTotalNs / holds;
  }

  /** Sums two rows of the same class and side (counts and totals add; min/max combine). */
  public LockStatRow plus(LockStatRow o) {
    if (!className.equals(o.className) || !side.equals(o.side)) {
      throw new IllegalArgumentException("cannot add " + displayName() + " to " + o.displayName());
    }
    return new LockStatRow(className, side, conBounces + o.conBounces,
        contentions + o.contentions, minOf(waitMinNs, contentions, o.waitMinNs, o.contentions),
        Math.max(waitMaxNs, o.waitMaxNs), waitTotalNs + o.waitTotalNs, acqBounces + o.acqBounces,
        acquisitions + o.acquisitions, minOf(holdMinNs, holds, o.holdMinNs, o.holds),
        Math.max(holdMaxNs, o.holdMaxNs), holdTotalNs + o.holdTotalNs, holds + o.holds);
  }

  private static long minOf(long a, long countA, long b, long countB) {
    if (countA == 0) {
      return b;
    }
    if (countB == 0) {
      return a;
    }
    return Math.min(a, b);
  }
}
