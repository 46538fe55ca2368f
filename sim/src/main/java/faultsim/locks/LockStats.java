package faultsim.locks;

/**
 * One row of {@code /proc/lock_stat}: the contention and hold statistics of one lock class in
 * one mode (Documentation/locking/lockstat.rst). Times are nanoseconds here; the writer prints
 * microseconds as the kernel does.
 */
public final class LockStats {
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
