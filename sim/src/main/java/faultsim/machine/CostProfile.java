package faultsim.machine;

/**
 * What things cost on the simulated machine, in nanoseconds. Defaults come from
 * {@code kernel-paths.md} §C (row numbers in brackets); a workload may override any of them.
 *
 * @param atomicLocalNs an atomic read-modify-write on a line this core already owns exclusively
 *     (an uncontended {@code lock cmpxchg}, ~20 cycles; assumption bounded by C.5/C.6)
 * @param transferSameSocketNs moving a cache line between two cores of one socket: Xeon
 *     Cascade Lake CAS ping-pong median 47 ns [C.7]
 * @param transferCrossSocketNs moving a line between sockets: Intel 2-socket 108-136 ns, midpoint
 *     122 ns [C.8]
 * @param wakeupNs from {@code wake_up_process()} to the woken task running: 2-4 us per wakeup in
 *     {@code perf bench sched pipe} [C.9]; the low end, 2 us
 * @param contextSwitchNs a switch between two runnable tasks on one core: ~1.1 us [C.10]
 * @param timeSliceNs how long a preemptible task runs before yielding to a queued one: EEVDF's
 *     base slice 0.75 ms scaled by 1 + ilog2(ncpus), 3 ms from 8 CPUs up
 * @param rwsemWaitTimeoutNs {@code RWSEM_WAIT_TIMEOUT}, after which the first waiter sets
 *     {@code RWSEM_FLAG_HANDOFF}: ~4 ms [C.14]
 * @param folioLockUnfairness {@code sysctl_page_lock_unfairness}: how many times a woken folio-lock
 *     waiter may lose the lock to a stealer before the unlock hands it over directly [B]
 * @param memoryFetchNs a cache line no core holds, read from DRAM: Intel Memory Latency Checker
 *     v3.5 on a Xeon Silver 4110 (Skylake-SP, DDR4-2666) measures 82 ns at its lightest
 *     injected load (community.intel.com, "Intel Memory Latency Checker v3.5 test", 2018); the
 *     first touch of a struct page, an xarray node or a lock word pays it, later touches are
 *     on-chip transfers or hits
 */
public record CostProfile(
    long atomicLocalNs,
    long transferSameSocketNs,
    long transferCrossSocketNs,
    long wakeupNs,
    long contextSwitchNs,
    long timeSliceNs,
    long rwsemWaitTimeoutNs,
    int folioLockUnfairness,
    long memoryFetchNs) {

  /** Defaults from kernel-paths.md §C, and the DRAM latency above. */
  public static final CostProfile DEFAULT =
      new CostProfile(5, 47, 122, 2_000, 1_100, 3_000_000, 4_000_000, 5, 82);

  /** Every cost zero: locks and the scheduler become an ideal queueing network. */
  public static final CostProfile ZERO =
      new CostProfile(0, 0, 0, 0, 0, 3_000_000, 4_000_000, 5, 0);

  /**
   * A profile whose lines nobody has touched cost a same-socket transfer to fetch (a machine
   * whose memory is as near as another core's cache).
   */
  public CostProfile(long atomicLocalNs, long transferSameSocketNs, long transferCrossSocketNs,
      long wakeupNs, long contextSwitchNs, long timeSliceNs, long rwsemWaitTimeoutNs,
      int folioLockUnfairness) {
    this(atomicLocalNs, transferSameSocketNs, transferCrossSocketNs, wakeupNs, contextSwitchNs,
        timeSliceNs, rwsemWaitTimeoutNs, folioLockUnfairness, transferSameSocketNs);
  }

  public CostProfile {
    requireNonNegative("atomic_local", atomicLocalNs);
    requireNonNegative("transfer_same_socket", transferSameSocketNs);
    requireNonNegative("transfer_cross_socket", transferCrossSocketNs);
    requireNonNegative("wakeup", wakeupNs);
    requireNonNegative("context_switch", contextSwitchNs);
    if (timeSliceNs <= 0) {
      throw new IllegalArgumentException("time_slice must be > 0, was " + timeSliceNs + " ns");
    }
    requireNonNegative("rwsem_wait_timeout", rwsemWaitTimeoutNs);
    if (folioLockUnfairness < 0) {
      throw new IllegalArgumentException(
          "folio_lock_unfairness must be >= 0, was " + folioLockUnfairness);
    }
    requireNonNegative("memory_fetch", memoryFetchNs);
  }

  /**
   * These costs with other transfer costs; a fetch from memory stays at least as slow as a
   * transfer from a core of the same socket.
   */
  public CostProfile withTransfers(long sameSocketNs, long crossSocketNs) {
    return new CostProfile(atomicLocalNs, sameSocketNs, crossSocketNs, wakeupNs, contextSwitchNs,
        timeSliceNs, rwsemWaitTimeoutNs, folioLockUnfairness,
        Math.max(memoryFetchNs, sameSocketNs));
  }

  public CostProfile withWakeup(long wakeupNs, long contextSwitchNs) {
    return new CostProfile(atomicLocalNs, transferSameSocketNs, transferCrossSocketNs, wakeupNs,
        contextSwitchNs, timeSliceNs, rwsemWaitTimeoutNs, folioLockUnfairness, memoryFetchNs);
  }

  public CostProfile withAtomicLocal(long ns) {
    return new CostProfile(ns, transferSameSocketNs, transferCrossSocketNs, wakeupNs,
        contextSwitchNs, timeSliceNs, rwsemWaitTimeoutNs, folioLockUnfairness, memoryFetchNs);
  }

  public CostProfile withMemoryFetch(long ns) {
    return new CostProfile(atomicLocalNs, transferSameSocketNs, transferCrossSocketNs, wakeupNs,
        contextSwitchNs, timeSliceNs, rwsemWaitTimeoutNs, folioLockUnfairness, ns);
  }

  private static void requireNonNegative(String what, long ns) {
    if (ns < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, was " + ns + " ns");
    }
  }
}
