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
  // A page cache keeps a line per touched page (a folio is the line of its struct page) and per
  // xarray leaf node, so the state is packed: the cores holding a copy in one bitmask (the
  // exclusive owner is then its only member), a byte of flags, and the state most lines never
  // need (sharers beyond core 63, spinning watchers, a structure's extra fields and word) in one
  // object made on first use: 33 bytes with compressed references, header included.
  private static final byte TOUCHED = 1;
  private static final byte BOUNCED = 2;
  /** The one core in the sharer mask owns the line exclusively (it wrote it last). */
  private static final byte EXCLUSIVE = 4;
  /**
   * On a machine of more than 64 cores, one core alone holds a copy and {@link #sharers} is its
   * number, not a mask: the usual state of a line one task uses, kept without the rare state's
   * words and counts.
   */
  private static final byte SOLE = 8;

  /**
   * Cores 0..63 holding a copy; with {@link #EXCLUSIVE}, the owner alone; with {@link #SOLE}, the
   * number of the one core holding it.
   */
  private long sharers;
  private long freeAtNs;
  private byte state;
  private Rare rare;

  /**
   * What few lines have: made on first use. Its keys are the line's speculation marks, which
   * only a run that speculates sets.
   */
  private static final class Rare extends Marked {
    /** Cores 64 and up holding a copy, 64 a word. */
    long[] sharersHigh;
    /**
     * Per core watching the line, when it last had the current value (-1: not watching); one
     * more slot at the end counts the watchers.
     */
    long[] watchDoneNs;
    /** Fields of the structure on the line beyond its own ({@link #extraFields}). */
    Object[] fields;
    /** A word of the structure on the line that is rarely other than 0 ({@link #extraWord}). */
    long word;
    /**
     * The cores watching the line as a bit set in words of 64 (the layout of the sharer set), so
     * that a write's re-reads visit the watchers alone, not every core of the machine.
     */
    long[] watching;
    /**
     * On a machine of more than 64 cores, the number of sharers on each socket, then their total
     * (made with the first sharer): where the copies are without a scan of the sharer set's words.
     */
    int[] socketSharers;
  }

  @Override
  public String toString() {
    return "a cache line";
  }

  /** The line's speculation marks ({@link Speculation}), made on first use. */
  final Marked marks() {
    return rare();
  }

  private Rare rare() {
    if (rare == null) {
      rare = new Rare();
    }
    return rare;
  }

  private boolean is(byte flag) {
    return (state & flag) != 0;
  }

  private void set(byte flag, boolean on) {
    state = (byte) (on ? state | flag : state & ~flag);
  }

  private long[] watchDoneNs() {
    return rare == null ? null : rare.watchDoneNs;
  }

  private long[] sharersHigh() {
    return rare == null ? null : rare.sharersHigh;
  }

  /**
   * A word of the structure on this line that is rarely other than 0 (a folio's data generation,
   * which only a truncate or hole punch advances): 0 until {@link #setExtraWord} stores another
   * value, and only then made room for.
   */
  protected final long extraWord() {
    return rare == null ? 0 : rare.word;
  }

  /**
   * Sets the word {@link #extraWord} reads; storing 0 in a line with no rare state costs
   * nothing.
   */
  protected final void setExtraWord(long w) {
    if (w != 0 || rare != null) {
      rare().word = w;
    }
  }

  /**
   * Room for fields that the structure on this line gains beyond its own (those a design
   * declares on a folio): at least {@code size} slots, made on first use, so that a structure
   * nobody extends pays nothing for them.
   */
  protected final Object[] extraFields(int size) {
    Rare r = rare();
    if (r.fields == null) {
      r.fields = new Object[size];
    } else if (r.fields.length < size) {
      r.fields = java.util.Arrays.copyOf(r.fields, size);
    }
    return r.fields;
  }

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
    Speculation.write(machine.speculation(), this);
    long start = Math.max(atNs, freeAtNs);
    CostProfile costs = machine.costs();
    long d;
    if (is(EXCLUSIVE) && isSharer(core)) {
      d = costs.atomicLocalNs();
      set(BOUNCED, false);
    } else if (!is(TOUCHED)) {
      d = costs.memoryFetchNs();
      set(BOUNCED, true);
    } else {
      d = farthestOtherCopyNs(machine, core);
      set(BOUNCED, d >= 0);
      if (d < 0) {
        // This core holds the only copy, shared: the upgrade needs no other core.
        d = costs.atomicLocalNs();
      }
    }
    clearSharers();
    addSharer(machine, core);
    state = (byte) (state | TOUCHED | EXCLUSIVE);
    freeAtNs = start + d;
    long done = freeAtNs;
    long[] watchDoneNs = watchDoneNs();
    if (watchDoneNs != null && watchDoneNs[watchDoneNs.length - 1] > 0) {
      rereadByWatchers(machine, core, done);
    }
    return done;
  }

  /** A load from {@code core} issued at {@code atNs}: returns when its data arrives. */
  public final long readAt(Machine machine, int core, long atNs) {
    Speculation s = machine.speculation();
    if (isSharer(core)) {
      Speculation.read(s, this);
      set(BOUNCED, false);
      return atNs;
    }
    // A miss changes the line (its sharers, the transfer in flight): a write, for speculation.
    Speculation.write(s, this);
    long start = Math.max(atNs, freeAtNs);
    CostProfile costs = machine.costs();
    long d;
    if (!is(TOUCHED)) {
      d = costs.memoryFetchNs();
    } else if (is(EXCLUSIVE)) {
      // The owner keeps a shared copy.
      d = machine.transferNs(owner(), core);
      set(EXCLUSIVE, false);
    } else {
      d = nearestSharerNs(machine, core);
    }
    state = (byte) (state | TOUCHED | BOUNCED);
    addSharer(machine, core);
    freeAtNs = start + d;
    return freeAtNs;
  }

  /**
   * {@code core} spins on the line from now on: it holds a copy and, after every write by
   * another core, reads it again.
   */
  public final void watch(Machine machine, int core) {
    Speculation.write(machine.speculation(), this);
    long[] watchDoneNs = watchDoneNs();
    if (watchDoneNs == null) {
      watchDoneNs = new long[machine.coreCount() + 1];
      java.util.Arrays.fill(watchDoneNs, -1);
      watchDoneNs[watchDoneNs.length - 1] = 0;
      rare().watchDoneNs = watchDoneNs;
      rare.watching = new long[(machine.coreCount() + 63) / 64];
    }
    if (watchDoneNs[core] < 0) {
      watchDoneNs[watchDoneNs.length - 1]++;
      rare.watching[core >>> 6] |= 1L << core;
    }
    watchDoneNs[core] = readAt(machine, core, machine.engine().now());
  }

  /** {@code core} stops spinning on the line. */
  public final void unwatch(int core) {
    long[] watchDoneNs = watchDoneNs();
    if (watchDoneNs != null && watchDoneNs[core] >= 0) {
      watchDoneNs[core] = -1;
      watchDoneNs[watchDoneNs.length - 1]--;
      rare.watching[core >>> 6] &= ~(1L << core);
    }
  }

  /** When the watching {@code core} last had the line's current value (its latest re-read). */
  public final long watcherSeesAtNs(int core) {
    long[] watchDoneNs = watchDoneNs();
    if (watchDoneNs == null || watchDoneNs[core] < 0) {
      throw new IllegalStateException("cpu" + core + " does not spin on this line");
    }
    return watchDoneNs[core];
  }

  /** Whether {@code core} holds a copy (shared or exclusive). */
  public final boolean cached(int core) {
    return isSharer(core);
  }

  /** The core that owns the line exclusively, or -1 (shared, or never written). */
  public final int owner() {
    if (!is(EXCLUSIVE)) {
      return -1;
    }
    if (is(SOLE)) {
      return (int) sharers;
    }
    if (sharers != 0) {
      return Long.numberOfTrailingZeros(sharers);
    }
    long[] high = sharersHigh();
    int w = 0;
    while (high[w] == 0) {
      w++;
    }
    return (w + 1) * 64 + Long.numberOfTrailingZeros(high[w]);
  }

  /** Whether the last access had to fetch the line from another core or from memory. */
  public final boolean lastAccessBounced() {
    return is(BOUNCED);
  }

  /** When the transfer in flight, if any, ends. */
  public final long freeAtNs() {
    return freeAtNs;
  }

  private void rereadByWatchers(Machine machine, int writer, long atNs) {
    long[] watchDoneNs = watchDoneNs();
    boolean bounced = is(BOUNCED);
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
    set(BOUNCED, bounced);
  }

  /** The lowest core at or above {@code from} watching the line, or -1 if none is. */
  private int nextWatcher(int from) {
    long[] bits = rare.watching;
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
    if (is(EXCLUSIVE)) {
      return machine.transferNs(owner(), core);
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
    if (is(SOLE)) {
      int sole = (int) sharers;
      if (sole == core) {
        return 0;
      }
      return machine.socketOf(sole) == machine.socketOf(core) ? SAME_SOCKET : OTHER_SOCKET;
    }
    int[] counts = rare == null ? null : rare.socketSharers;
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
    long[] high = sharersHigh();
    return high == null ? 0 : high.length;
  }

  private long word(int w) {
    return w == 0 ? sharers : rare.sharersHigh[w - 1];
  }

  private boolean isSharer(int core) {
    if (is(SOLE)) {
      return sharers == core;
    }
    if (core < 64) {
      return (sharers & (1L << core)) != 0;
    }
    int w = core / 64 - 1;
    long[] sharersHigh = sharersHigh();
    return sharersHigh != null && w < sharersHigh.length
        && (sharersHigh[w] & (1L << (core & 63))) != 0;
  }

  private void addSharer(Machine machine, int core) {
    if (isSharer(core)) {
      return;
    }
    if (machine.coreCount() > 64) {
      if (is(SOLE)) {
        // A second copy: the sole holder goes into the mask and counts with the new one.
        int sole = (int) sharers;
        set(SOLE, false);
        sharers = 0;
        addToMask(machine, sole);
      } else if (sharers == 0 && (rare == null || rare.socketSharers == null
          || rare.socketSharers[rare.socketSharers.length - 1] == 0)) {
        set(SOLE, true);
        sharers = core;
        return;
      }
    }
    addToMask(machine, core);
  }

  /** Adds {@code core}, not yet a holder, to the sharer mask (and the per-socket counts). */
  private void addToMask(Machine machine, int core) {
    if (machine.coreCount() > 64) {
      Rare r = rare();
      if (r.socketSharers == null) {
        r.socketSharers = new int[machine.spec().sockets() + 1];
      }
      r.socketSharers[machine.socketOf(core)]++;
      r.socketSharers[r.socketSharers.length - 1]++;
    }
    if (core < 64) {
      sharers |= 1L << core;
      return;
    }
    int w = core / 64 - 1;
    long[] sharersHigh = sharersHigh();
    if (sharersHigh == null || w >= sharersHigh.length) {
      sharersHigh = java.util.Arrays.copyOf(sharersHigh == null ? new long[0] : sharersHigh,
          w + 1);
      rare().sharersHigh = sharersHigh;
    }
    sharersHigh[w] |= 1L << (core & 63);
  }

  private void clearSharers() {
    sharers = 0;
    if (is(SOLE)) {
      // Nothing else was set since the line last had no copy.
      set(SOLE, false);
      return;
    }
    if (rare != null && rare.socketSharers != null) {
      java.util.Arrays.fill(rare.socketSharers, 0);
    }
    long[] sharersHigh = sharersHigh();
    if (sharersHigh != null) {
      java.util.Arrays.fill(sharersHigh, 0);
    }
  }
}
