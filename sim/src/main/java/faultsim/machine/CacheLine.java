package faultsim.machine;

/**
 * One cache line of shared data (a lock word, an rwsem count, a refcount), kept coherent as a
 * directory protocol keeps it (MESI states per core, one home that orders requests):
 *
 * <ul>
 *   <li>a line is either owned by one core exclusively (after a write) or shared by any number
 *       of readers; a read by a core that holds it, or a write by its exclusive owner, costs no
 *       transfer;
 *   <li>a write from any other core takes ownership: it invalidates every other copy and pays a
 *       transfer from the farthest one (same socket or cross socket); a read miss fetches a copy
 *       from the owner, or from a sharer, which stays a sharer;
 *   <li>the line serves one request at a time: a request issued while an earlier transfer is in
 *       flight waits for it, so N cores hammering one line get it N transfers apart and their
 *       atomics saturate at one per transfer time, not N per transfer time;
 *   <li>cores spinning on the line ({@link #watch}) hold a shared copy; every write invalidates
 *       it and each of them reads the line again, one after another in the order the home serves
 *       them (round the ring of cores from the writer), occupying the line as they do. This is
 *       the traffic of a ticket lock's waiters (Boyd-Wickizer et al., "Non-scalable locks are
 *       dangerous", Linux Symposium 2012, section 3: the directory serves the waiters' re-reads
 *       serially, and the next holder's comes on average half-way through).
 * </ul>
 *
 * <p>Transfers come from the cost profile ({@code transfer_same_socket}, {@code
 * transfer_cross_socket}); a line nobody has touched is fetched from memory ({@code
 * memory_fetch}). With every cost zero the line never delays anything. Times are
 * absolute simulated nanoseconds; a request issued at {@code at} is served from
 * {@code max(at, the end of the transfer in flight)}.
 *
 * <p>A structure whose own fields live on the line may extend it (a folio is the line of its
 * {@code struct page}), saving an object per instance; the protocol is not meant to be
 * overridden.
 */
public class CacheLine {
  private int owner = -1;
  private long sharers;
  private long[] sharersHigh;
  private boolean touched;
  private boolean lastAccessBounced;
  private long freeAtNs;
  /**
   * Per core watching the line, when it last had the current value (-1: not watching); one more
   * slot at the end counts the watchers. Created on the first watch: most lines never have one.
   */
  private long[] watchDoneNs;
  /**
   * The cores watching the line as a bit set in words of 64 (the layout of the sharer set), so
   * that a write's re-reads visit the watchers alone, not every core of the machine.
   */
  private long[] watching;
  /**
   * On a machine of more than 64 cores, the number of sharers on each socket, then their total
   * (made with the first sharer): where the copies are without a scan of the sharer set's words.
   */
  private int[] socketSharers;

  /**
   * An atomic read-modify-write from {@code core}, now: returns its cost (waiting for the line
   * included) and makes {@code core} the line's exclusive owner.
   */
  public final long atomic(Machine machine, Core core) {
    long now = machine.engine().now();
    return writeAt(machine, core.id(), now) - now;
  }

  /** A load from {@code core}, now: its cost; nothing once the core holds a copy. */
  public final long read(Machine machine, Core core) {
    long now = machine.engine().now();
    return readAt(machine, core.id(), now) - now;
  }

  /**
   * A write (store or atomic) from {@code core} issued at {@code atNs}: returns when it completes.
   * Cores watching the line then read it again, after the write, in ring order from the writer.
   */
  public final long writeAt(Machine machine, int core, long atNs) {
    long start = Math.max(atNs, freeAtNs);
    CostProfile costs = machine.costs();
    long d;
    if (owner == core) {
      d = costs.atomicLocalNs();
      lastAccessBounced = false;
    } else if (!touched) {
      d = costs.memoryFetchNs();
      lastAccessBounced = true;
    } else {
      d = farthestOtherCopyNs(machine, core);
      lastAccessBounced = d >= 0;
      if (d < 0) {
        // This core holds the only copy, shared: the upgrade needs no other core.
        d = costs.atomicLocalNs();
      }
    }
    touched = true;
    owner = core;
    clearSharers();
    freeAtNs = start + d;
    long done = freeAtNs;
    if (watchDoneNs != null && watchDoneNs[watchDoneNs.length - 1] > 0) {
      rereadByWatchers(machine, core, done);
    }
    return done;
  }

  /** A load from {@code core} issued at {@code atNs}: returns when its data arrives. */
  public final long readAt(Machine machine, int core, long atNs) {
    if (owner == core || isSharer(core)) {
      lastAccessBounced = false;
      return atNs;
    }
    long start = Math.max(atNs, freeAtNs);
    CostProfile costs = machine.costs();
    long d;
    if (!touched) {
      d = costs.memoryFetchNs();
    } else if (owner >= 0) {
      d = machine.transferNs(owner, core);
      addSharer(machine, owner);
      owner = -1;
    } else {
      d = nearestSharerNs(machine, core);
    }
    touched = true;
    lastAccessBounced = true;
    addSharer(machine, core);
    freeAtNs = start + d;
    return freeAtNs;
  }

  /**
   * {@code core} spins on the line from now on: it holds a copy and, after every write by
   * another core, reads it again.
   */
  public final void watch(Machine machine, int core) {
    if (watchDoneNs == null) {
      watchDoneNs = new long[machine.coreCount() + 1];
      java.util.Arrays.fill(watchDoneNs, -1);
      watchDoneNs[watchDoneNs.length - 1] = 0;
      watching = new long[(machine.coreCount() + 63) / 64];
    }
    if (watchDoneNs[core] < 0) {
      watchDoneNs[watchDoneNs.length - 1]++;
      watching[core >>> 6] |= 1L << core;
    }
    watchDoneNs[core] = readAt(machine, core, machine.engine().now());
  }

  /** {@code core} stops spinning on the line. */
  public final void unwatch(int core) {
    if (watchDoneNs != null && watchDoneNs[core] >= 0) {
      watchDoneNs[core] = -1;
      watchDoneNs[watchDoneNs.length - 1]--;
      watching[core >>> 6] &= ~(1L << core);
    }
  }

  /** When the watching {@code core} last had the line's current value (its latest re-read). */
  public final long watcherSeesAtNs(int core) {
    if (watchDoneNs == null || watchDoneNs[core] < 0) {
      throw new IllegalStateException("cpu" + core + " does not spin on this line");
    }
    return watchDoneNs[core];
  }

  /** Whether {@code core} holds a copy (shared or exclusive). */
  public final boolean cached(int core) {
    return owner == core || isSharer(core);
  }

  /** The core that owns the line exclusively, or -1 (shared, or never written). */
  public final int owner() {
    return owner;
  }

  /** Whether the last access had to fetch the line from another core or from memory. */
  public final boolean lastAccessBounced() {
    return lastAccessBounced;
  }

  /** When the transfer in flight, if any, ends. */
  public final long freeAtNs() {
    return freeAtNs;
  }

  private void rereadByWatchers(Machine machine, int writer, long atNs) {
    int n = watchDoneNs.length - 1;
    boolean bounced = lastAccessBounced;
    // Round the ring from the writer: the cores above it, then those below.
    for (int c = nextWatcher(writer + 1); c >= 0; c = nextWatcher(c + 1)) {
      watchDoneNs[c] = readAt(machine, c, atNs);
    }
    for (int c = nextWatcher(0); c >= 0 && c < writer; c = nextWatcher(c + 1)) {
      watchDoneNs[c] = readAt(machine, c, atNs);
    }
    if (watchDoneNs[writer] >= 0) {
      watchDoneNs[writer] = atNs;
    }
    lastAccessBounced = bounced;
  }

  /** The lowest core at or above {@code from} watching the line, or -1 if none is. */
  private int nextWatcher(int from) {
    long[] bits = watching;
    int w = from >>> 6;
    if (w >= bits.length) {
      return -1;
    }
    // A shift by `from` shifts by `from` mod 64: the word's bits below `from` are dropped.
    long word = bits[w] & (-1L << from);
    while (word == 0) {
      if (++w == bits.length) {
        return -1;
      }
      word = bits[w];
    }
    return w * 64 + Long.numberOfTrailingZeros(word);
  }

  /**
   * The transfer from the farthest core other than {@code core} that holds a copy (the
   * invalidation that completes last), or -1 if none does.
   */
  private long farthestOtherCopyNs(Machine machine, int core) {
    if (owner >= 0) {
      return machine.transferNs(owner, core);
    }
    int where = sharersWhere(machine, core);
    if ((where & OTHER_SOCKET) != 0) {
      return machine.costs().transferCrossSocketNs();
    }
    return where != 0 ? machine.costs().transferSameSocketNs() : -1;
  }

  /** A read miss served by the nearest sharer: same socket if one is there. */
  private long nearestSharerNs(Machine machine, int core) {
    return (sharersWhere(machine, core) & SAME_SOCKET) != 0
        ? machine.costs().transferSameSocketNs()
        : machine.costs().transferCrossSocketNs();
  }

  private static final int SAME_SOCKET = 1;
  private static final int OTHER_SOCKET = 2;

  /** Where the sharers other than {@code core} are: {@link #SAME_SOCKET}, {@link #OTHER_SOCKET}. */
  private int sharersWhere(Machine machine, int core) {
    int[] counts = socketSharers;
    if (counts != null) {
      int socket = machine.socketOf(core);
      int total = counts[counts.length - 1];
      int same = counts[socket] - (isSharer(core) ? 1 : 0);
      return (same > 0 ? SAME_SOCKET : 0) | (total > counts[socket] ? OTHER_SOCKET : 0);
    }
    // Up to 64 cores, one word: against the socket's cores.
    long[] socket = machine.socketWords(machine.core(core).socket());
    int self = core >>> 6;
    int where = 0;
    for (int w = 0; w <= words(); w++) {
      long bits = word(w);
      if (w == self) {
        bits &= ~(1L << (core & 63));
      }
      if (bits == 0) {
        continue;
      }
      long same = w < socket.length ? bits & socket[w] : 0;
      if (same != 0) {
        where |= SAME_SOCKET;
      }
      if (bits != same) {
        where |= OTHER_SOCKET;
      }
    }
    return where;
  }

  private int words() {
    return sharersHigh == null ? 0 : sharersHigh.length;
  }

  private long word(int w) {
    return w == 0 ? sharers : sharersHigh[w - 1];
  }

  private boolean isSharer(int core) {
    if (core < 64) {
      return (sharers & (1L << core)) != 0;
    }
    int w = core / 64 - 1;
    return sharersHigh != null && w < sharersHigh.length
        && (sharersHigh[w] & (1L << (core & 63))) != 0;
  }

  private void addSharer(Machine machine, int core) {
    if (isSharer(core)) {
      return;
    }
    if (socketSharers == null && machine.coreCount() > 64) {
      socketSharers = new int[machine.spec().sockets() + 1];
    }
    if (socketSharers != null) {
      socketSharers[machine.socketOf(core)]++;
      socketSharers[socketSharers.length - 1]++;
    }
    if (core < 64) {
      sharers |= 1L << core;
      return;
    }
    int w = core / 64 - 1;
    if (sharersHigh == null || w >= sharersHigh.length) {
      sharersHigh = java.util.Arrays.copyOf(sharersHigh == null ? new long[0] : sharersHigh,
          w + 1);
    }
    sharersHigh[w] |= 1L << (core & 63);
  }

  private void clearSharers() {
    sharers = 0;
    if (socketSharers != null) {
      java.util.Arrays.fill(socketSharers, 0);
    }
    if (sharersHigh != null) {
      java.util.Arrays.fill(sharersHigh, 0);
    }
  }
}
