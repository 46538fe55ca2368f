package faultsim.locks;

/**
 * One row of {@code /proc/lock_stat}: the contention and hold statistics of one lock class in
 * one mode (Documentation/locking/lockstat.rst). Times are nanoseconds here; the writer prints
 * microseconds as the kernel does.
 */
public final class LockStats {
  /**
   * Call sites that waited for the lock ({@code contentions} points: where the waiter was) and,
   * for each such wait, where the lock's last owner had taken it ({@code contending} points:
   * lockdep's {@code lock->ip} when {@code __lock_contended()} runs), with their counts, in
   * first-seen order. The kernel keeps the first four of each (LOCKSTAT_POINTS); all are kept
   * here and the writer shows the most frequent.
   */
  private final java.util.Map<String, Long> contentionPoints = new java.util.LinkedHashMap<>();
  private final java.util.Map<String, Long> contendingPoints = new java.util.LinkedHashMap<>();
  /** Tasks waiting now, and the sum of the times they started waiting (state, not reset). */
  private long waiting;
  private long waitingSinceSumNs;

  private long conBounces;
  private long contentions;
  private long waitMinNs = Long.MAX_VALUE;
  private long waitMaxNs;
  private long waitTotalNs;
  private long acqBounces;
  private long acquisitions;
  private long holdMinNs = Long.MAX_VALUE;
  private long holdMaxNs;
  private long holdTotalNs;
  private long holds;

  /** A task got the lock; {@code waitNs} < 0 if it did not have to wait. */
  void acquired(long waitNs, boolean bounced, boolean contentionBounced) {
    acquisitions++;
    if (bounced) {
      acqBounces++;
    }
    if (waitNs >= 0) {
      contentions++;
      if (contentionBounced) {
        conBounces++;
      }
      waitMinNs = Math.min(waitMinNs, waitNs);
      waitMaxNs = Math.max(waitMaxNs, waitNs);
      waitTotalNs += waitNs;
    }
  }

  /** A wait at {@code site} for a lock its last owner took at {@code ownerSite}. */
  void contendedAt(String site, String ownerSite) {
    contentionPoints.merge(site, 1L, Long::sum);
    contendingPoints.merge(ownerSite, 1L, Long::sum);
  }

  void startedWaiting(long sinceNs) {
    waiting++;
    waitingSinceSumNs += sinceNs;
  }

  void stoppedWaiting(long sinceNs) {
    waiting--;
    waitingSinceSumNs -= sinceNs;
  }

  /** Tasks still waiting (not counted in {@code contentions}, which counts acquisitions). */
  public long waitingNow() {
    return waiting;
  }

  /** How long the tasks still waiting have waited so far, summed, at {@code nowNs}. */
  public long waitingNs(long nowNs) {
    return waiting * nowNs - waitingSinceSumNs;
  }

  public java.util.Map<String, Long> contentionPoints() {
    return java.util.Collections.unmodifiableMap(contentionPoints);
  }

  public java.util.Map<String, Long> contendingPoints() {
    return java.util.Collections.unmodifiableMap(contendingPoints);
  }

  void released(long holdNs) {
    holds++;
    holdMinNs = Math.min(holdMinNs, holdNs);
    holdMaxNs = Math.max(holdMaxNs, holdNs);
    holdTotalNs += holdNs;
  }

  void reset() {
    conBounces = contentions = waitMaxNs = waitTotalNs = 0;
    acqBounces = acquisitions = holdMaxNs = holdTotalNs = holds = 0;
    waitMinNs = holdMinNs = Long.MAX_VALUE;
    contentionPoints.clear();
    contendingPoints.clear();
  }

  public long conBounces() {
    return conBounces;
  }

  public long contentions() {
    return contentions;
  }

  /** 0 when there was no contention, as the kernel prints it. */
  public long waitMinNs() {
    return contentions == 0 ? 0 : waitMinNs;
  }

  public long waitMaxNs() {
    return waitMaxNs;
  }

  public long waitTotalNs() {
    return waitTotalNs;
  }

  /** waittime-total / contentions, as {@code lock_stat} computes it. */
  public double waitAvgNs() {
    return contentions == 0 ? 0 : (double) waitTotalNs / contentions;
  }

  public long acqBounces() {
    return acqBounces;
  }

  public long acquisitions() {
    return acquisitions;
  }

  public long holdMinNs() {
    return holds == 0 ? 0 : holdMinNs;
  }

  public long holdMaxNs() {
    return holdMaxNs;
  }

  public long holdTotalNs() {
    return holdTotalNs;
  }

  /** Number of completed holds (the divisor of holdtime-avg). */
  public long holds() {
    return holds;
  }

  public double holdAvgNs() {
    return holds == 0 ? 0 : (double) holdTotalNs / holds;
  }
}
