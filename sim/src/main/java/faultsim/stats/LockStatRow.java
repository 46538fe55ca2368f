package faultsim.stats;

import faultsim.locks.LockClass;
import faultsim.locks.LockStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One side of one lock class's statistics, detached from the run that produced it, so rows from
 * several replications can be summed as {@code /proc/lock_stat} would have counted them in one
 * longer run. Times in nanoseconds.
 *
 * @param className lockdep class name
 * @param side {@code "W"} or {@code "R"} for reader-writer locks, {@code ""} otherwise
 * @param waitingAtEnd tasks still waiting when the run ended (not in {@code contentions}, which
 *     counts waits that ended in an acquisition)
 * @param waitingAtEndNs how long those tasks had waited, summed
 * @param contentionPoints call sites that waited, with counts
 * @param contendingPoints where the lock's last owner had taken it when a wait began, with counts
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
    long holds,
    long waitingAtEnd,
    long waitingAtEndNs,
    Map<String, Long> contentionPoints,
    Map<String, Long> contendingPoints) {

  /** A row without waiters at the end or call sites. */
  public LockStatRow(String className, String side, long conBounces, long contentions,
      long waitMinNs, long waitMaxNs, long waitTotalNs, long acqBounces, long acquisitions,
      long holdMinNs, long holdMaxNs, long holdTotalNs, long holds) {
    this(className, side, conBounces, contentions, waitMinNs, waitMaxNs, waitTotalNs, acqBounces,
        acquisitions, holdMinNs, holdMaxNs, holdTotalNs, holds, 0, 0, Map.of(), Map.of());
  }

  /** The rows of one class: one, or W then R for reader-writer kinds (sides never used omitted). */
  public static List<LockStatRow> of(LockClass c, long nowNs) {
    List<LockStatRow> rows = new ArrayList<>(2);
    if (!c.kind().hasReadSide()) {
      rows.add(from(c.name(), "", c.write(), nowNs));
      return rows;
    }
    for (String side : List.of("W", "R")) {
      LockStats s = c.stats(side.equals("W"));
      if (s.acquisitions() > 0 || s.holds() > 0 || s.waitingNow() > 0) {
        rows.add(from(c.name(), side, s, nowNs));
      }
    }
    return rows;
  }

  private static LockStatRow from(String name, String side, LockStats s, long nowNs) {
    return new LockStatRow(name, side, s.conBounces(), s.contentions(), s.waitMinNs(),
        s.waitMaxNs(), s.waitTotalNs(), s.acqBounces(), s.acquisitions(), s.holdMinNs(),
        s.holdMaxNs(), s.holdTotalNs(), s.holds(), s.waitingNow(), s.waitingNs(nowNs),
        new TreeMap<>(s.contentionPoints()), new TreeMap<>(s.contendingPoints()));
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
        Math.max(holdMaxNs, o.holdMaxNs), holdTotalNs + o.holdTotalNs, holds + o.holds,
        waitingAtEnd + o.waitingAtEnd, waitingAtEndNs + o.waitingAtEndNs,
        sum(contentionPoints, o.contentionPoints), sum(contendingPoints, o.contendingPoints));
  }

  private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
    Map<String, Long> out = new TreeMap<>(a);
    b.forEach((k, v) -> out.merge(k, v, Long::sum));
    return out;
  }

  /**
   * The {@code n} most frequent of {@code points}, most first, ties by name: what lock_stat
   * prints under a class.
   */
  public static List<Map.Entry<String, Long>> top(Map<String, Long> points, int n) {
    return points.entrySet().stream()
        .sorted(java.util.Comparator.comparingLong((Map.Entry<String, Long> e) -> -e.getValue())
            .thenComparing(Map.Entry::getKey))
        .limit(n).toList();
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
