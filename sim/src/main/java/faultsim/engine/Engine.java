package faultsim.engine;

import java.util.Arrays;

/**
 * The discrete-event clock of one simulation run: an event list of {@link Timer}s owned by this
 * run alone.
 *
 * <p>Time is kept in whole nanoseconds ({@code long}).
 *
 * <p><b>Ordering rule.</b> Events fire in order of time; events scheduled for the same time fire
 * in the order they were scheduled. Runs are therefore deterministic for a given sequence of
 * {@link #schedule} calls. {@link #runUntil} stops after every event at its limit, including
 * those scheduled for that time while the run is under way.
 *
 * <p><b>Event list.</b> Every event has a key (time, sequence number of its {@link #schedule}
 * call), a total order, and the list fires them in the order of their keys. It is kept in two
 * parts:
 * <ul>
 *   <li>a <em>timing wheel</em> (Varghese and Lauck 1987; the kernel's own timer wheel is one)
 *       of one slot per nanosecond for the events of the next {@link #WHEEL_NS} nanoseconds. A
 *       slot is the list of the timers due at its nanosecond, in key order, linked through the
 *       timers themselves; a bitmap of the slots in use finds the next one with a few
 *       word-wide scans. A task's costed step ends a few nanoseconds to a few microseconds on,
 *       so nearly every event goes here: scheduling links the timer at its slot's tail, firing
 *       unlinks the head, whatever the number of events pending. (A heap sifts a rescheduled
 *       timer through about log4 n levels, each with a comparison the processor cannot
 *       predict: five levels with a thousand tasks pending.)</li>
 *   <li>a 4-ary min-heap of the events due later (device completions, long waits), by key.</li>
 * </ul>
 * The next event is the first of the wheel's first slot or the heap's top, whichever has the
 * smaller key. The wheel covers {@code [base, base + WHEEL_NS)}, where {@code base} is the time
 * of the last event taken from the list (or of the last limit a {@link #runUntil} reached): no
 * event is ever scheduled before it, so each slot holds the events of one nanosecond only.
 * With the default order a slot's events are in
 * scheduling order by construction (each new one is the last scheduled); with the intrinsic
 * order a new event is placed among its slot's by its key. An event scheduled into the heap
 * stays there until it fires. Scheduling and firing allocate nothing once the heap's array has
 * grown to the number of far events pending at once.
 */
public final class Engine {
  /** Children per heap node. */
  private static final int ARITY = 4;

  /** Bits of a {@link #currentKey} for the timer's id, the lowest. */
  public static final int ID_BITS = 19;
  /** Bits of a {@link #currentKey} for the delta cycle, above the id. */
  public static final int DELTA_BITS = 5;
  /** Times a {@link #currentKey} can hold: below 2^39 ns (about 9 minutes). */
  public static final long KEY_TIME_LIMIT_NS = 1L << (63 - ID_BITS - DELTA_BITS);

  /** Nanoseconds the timing wheel covers, one slot each. */
  public static final int WHEEL_NS = 1 << 12;

  /** Where a timer is: not pending, in the wheel, in the heap. */
  private static final byte IDLE = 0;
  private static final byte WHEEL = 1;
  private static final byte HEAP = 2;

  /** Slots of the wheel, less one: a time's slot is {@code time & wheelMask}. */
  private final int wheelMask;
  /** The first and last timer of each slot (null when the slot is empty). */
  private final Timer[] heads;
  private final Timer[] tails;
  /** One bit per slot in use. */
  private final long[] used;
  private int wheelCount;
  /**
   * The time of the last event taken from the list, or of the last {@link #runUntil} limit
   * reached: every pending event is at or after it, and the wheel holds events before
   * {@code base + wheelMask + 1} only.
   */
  private long base;
  /** The far events: a 4-ary min-heap by key, each timer knowing its index. */
  private Timer[] heap = new Timer[16];
  private int heapSize;

  private long now;
  private long nextSeq;
  private long eventsFired;
  private long stopAtNs = Long.MAX_VALUE;
  private boolean stopped;
  private boolean halted;
  /** Ids handed to timers as they are created. */
  private int nextTimerId;
  /**
   * Same-time events fire in order of their timers' ids (creation order) rather than in the
   * order they were scheduled: see {@link #setIntrinsicOrder}.
   */
  private boolean intrinsicOrder;
  /** {@link #currentKey}: the time, delta cycle and id of the timer whose event is running. */
  private long currentKey;
  /** The delta cycle of the event running now (intrinsic order). */
  private long currentDelta;

  public Engine() {
    this(WHEEL_NS);
  }

  /** An engine whose wheel covers {@code wheelNs} nanoseconds (a power of two). */
  Engine(int wheelNs) {
    if (wheelNs < 1 || Integer.bitCount(wheelNs) != 1) {
      throw new IllegalArgumentException("the wheel's size must be a power of two: " + wheelNs);
    }
    wheelMask = wheelNs - 1;
    heads = new Timer[wheelNs];
    tails = new Timer[wheelNs];
    used = new long[(wheelNs + 63) / 64];
  }

  /** The current simulated time in nanoseconds. */
  public long now() {
    return now;
  }

  /**
   * Number of events that have fired so far, counting as one event each {@link #runUntil} that
   * reached its limit (the end of such a run was an event of its own in the SSJ list this
   * engine replaced; counting it keeps the {@code events} figures of results unchanged).
   */
  public long eventsFired() {
    return eventsFired;
  }

  /**
   * Orders same-time events by delta cycle, then by their timers' ids, instead of by the order
   * they were scheduled. An event scheduled with a delay is in delta cycle 0 of its time; one
   * scheduled for now is in the cycle after the current event's (as VHDL simulators order
   * zero-delay events, IEEE 1076 section 14.7.5), so events fire in the order of their keys
   * (time, cycle, id). An event's place is then a function of its time and timer, and of the
   * event that scheduled it only for zero delays, so a task may run ahead of the clock and
   * still know which events come before each of its steps ({@code machine/Speculation}). Must
   * be set before anything is scheduled. The order differs from the default one only among
   * events of the same nanosecond.
   */
  public void setIntrinsicOrder(boolean on) {
    if (pending() > 0 || nextSeq > 0) {
      throw new IllegalStateException("the order is chosen before anything is scheduled");
    }
    intrinsicOrder = on;
  }

  public boolean intrinsicOrder() {
    return intrinsicOrder;
  }

  /**
   * The key of the event running now, {@code now, delta cycle, timer id} packed into one
   * {@code long} (-1 when they do not fit: a time past {@link #KEY_TIME_LIMIT_NS}, 32 delta
   * cycles, 2^19 timers): with {@link #setIntrinsicOrder intrinsic order}, events run in the
   * order of their keys, so two accesses to the same state are in simulated order when their
   * keys are.
   */
  public long currentKey() {
    return currentKey;
  }

  /** Number of timers pending. */
  public int pending() {
    return wheelCount + heapSize;
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
    if (timer.engine != this) {
      throw new IllegalArgumentException("timer belongs to another engine");
    }
    if (timer.where != IDLE) {
      throw new IllegalStateException("timer already scheduled (at " + timer.timeNs + " ns)");
    }
    long time = now + delayNs;
    timer.timeNs = time;
    timer.seq = seqOf(timer);
    if (time - base <= wheelMask) {
      link(timer, (int) time & wheelMask);
    } else {
      heapAdd(timer);
    }
  }

  private long seqOf(Timer timer) {
    long seq = nextSeq++;
    if (!intrinsicOrder) {
      return seq;
    }
    long delta = timer.timeNs == now ? currentDelta + 1 : 0;
    return delta << 32 | timer.id;
  }

  private long key(long time, long seq) {
    long delta = seq >>> 32;
    long id = seq & 0xFFFF_FFFFL;
    if (time >= KEY_TIME_LIMIT_NS || delta >= 1 << DELTA_BITS || id >= 1 << ID_BITS) {
      return -1;
    }
    return time << (ID_BITS + DELTA_BITS) | delta << ID_BITS | id;
  }

  /** Makes an event the one running: clock, delta cycle and key. */
  private void enter(long time, long seq) {
    now = time;
    currentDelta = seq >>> 32;
    currentKey = key(time, seq);
  }

  /** Cancels {@code timer} if it is pending. */
  public void cancel(Timer timer) {
    if (timer.engine == this) {
      take(timer);
    }
  }

  /**
   * Runs events until the event list is empty, {@link #stop()} is called, or the next event lies
   * after {@code untilNs}; the clock is then at {@code untilNs} (unless stopped: then at the last
   * event fired).
   */
  public void runUntil(long untilNs) {
    if (halted) {
      return;
    }
    if (untilNs < now) {
      throw new IllegalArgumentException("cannot run until " + untilNs + " ns: clock is at " + now);
    }
    stopAtNs = untilNs;
    stopped = false;
    Timer t;
    while ((t = first()) != null && t.timeNs <= untilNs) {
      fire(t);
      if (stopped) {
        return;
      }
    }
    now = untilNs;
    // Every pending event lies after the limit now, so the wheel may start there: events
    // scheduled from here on go to the wheel even when none fired for a long while.
    base = untilNs;
    eventsFired++;
  }

  /**
   * A step of the running event's timer ends {@code delayNs} from now and its timer goes on at
   * once, without a trip through the event list: the clock moves on, and the step counts as the
   * event it would have been. Only {@code machine/Speculation} calls this, having checked that
   * the step stays within the current {@link #runUntil}; the timer must not be pending.
   */
  public void advanceInline(Timer timer, long delayNs) {
    if (timer.where != IDLE) {
      throw new IllegalStateException("a timer runs ahead only once out of the event list");
    }
    enter(now + delayNs, timer.id);
    eventsFired++;
  }

  /**
   * Fires, inside the event of {@code timer}, every pending event whose key comes before
   * {@code timer}'s at the current time (with intrinsic order: earlier, or as early with a
   * smaller id), events they schedule included, then puts the clock back. Returns false if one
   * of them stopped or halted the run.
   */
  public boolean catchUp(Timer timer) {
    if (!intrinsicOrder) {
      throw new IllegalStateException("catching up needs the intrinsic order of events");
    }
    long time = now;
    long id = timer.id;
    long key = currentKey;
    long delta = currentDelta;
    boolean ok = true;
    // The task's step is in delta cycle 0 of its time: it ended a step of positive length.
    Timer t;
    while ((t = first()) != null && before(t.timeNs, t.seq, time, id)) {
      fire(t);
      if (stopped) {
        ok = false;
        break;
      }
    }
    now = time;
    currentKey = key;
    currentDelta = delta;
    return ok;
  }

  /** The pending event with the smallest key, or null. */
  private Timer first() {
    Timer w = wheelCount > 0 ? heads[firstSlot()] : null;
    if (heapSize == 0) {
      return w;
    }
    Timer h = heap[0];
    return w == null || before(h.timeNs, h.seq, w.timeNs, w.seq) ? h : w;
  }

  /**
   * The first slot in use from {@code base}'s on, around the wheel: the earliest, since every
   * event in the wheel lies in {@code [base, base + wheel size)}.
   */
  private int firstSlot() {
    long[] u = used;
    int words = u.length;
    int s = (int) base & wheelMask;
    int w = s >>> 6;
    long bits = u[w] & (-1L << s);
    // At most once around: the last word read is the first again, whole (its slots below s).
    for (int i = 0; i <= words; i++) {
      if (bits != 0) {
        return w << 6 | Long.numberOfTrailingZeros(bits);
      }
      w = w + 1 == words ? 0 : w + 1;
      bits = u[w];
    }
    throw new IllegalStateException("no slot in use in a wheel of " + wheelCount + " events");
  }

  /** Takes {@code t} (the first pending event) from the list and fires it. */
  private void fire(Timer t) {
    take(t);
    base = t.timeNs;
    enter(t.timeNs, t.seq);
    eventsFired++;
    t.fire();
  }

  /** Stops the run after the current event. */
  public void stop() {
    stopped = true;
  }

  /**
   * Ends the simulation for good after the current event (a deadlock): later {@link #runUntil}
   * calls return at once, leaving the clock where it stopped.
   */
  public void halt() {
    halted = true;
    stopped = true;
  }

  /** Whether {@link #halt()} was called. */
  public boolean halted() {
    return halted;
  }

  /** The time at which the current {@link #runUntil} call will stop. */
  public long stopAtNs() {
    return stopAtNs;
  }

  private static boolean before(long time, long seq, long otherTime, long otherSeq) {
    return time < otherTime || (time == otherTime && seq < otherSeq);
  }

  /** Takes {@code t} out of the list if it is pending. */
  private void take(Timer t) {
    if (t.where == WHEEL) {
      unlink(t);
    } else if (t.where == HEAP) {
      heapRemove(t);
    }
  }

  /** Puts {@code t} in wheel slot {@code s}, after the events of smaller key. */
  private void link(Timer t, int s) {
    t.where = WHEEL;
    wheelCount++;
    Timer after = tails[s];
    if (after == null) {
      used[s >>> 6] |= 1L << s;
      t.prev = null;
      t.next = null;
      heads[s] = t;
      tails[s] = t;
      return;
    }
    // Same time throughout the slot: the sequence decides. With the default order the new
    // event's is the largest, and it goes last; with the intrinsic order it may come earlier.
    long seq = t.seq;
    while (after != null && after.seq > seq) {
      after = after.prev;
    }
    t.prev = after;
    Timer next;
    if (after == null) {
      next = heads[s];
      heads[s] = t;
    } else {
      next = after.next;
      after.next = t;
    }
    t.next = next;
    if (next == null) {
      tails[s] = t;
    } else {
      next.prev = t;
    }
  }

  private void unlink(Timer t) {
    t.where = IDLE;
    wheelCount--;
    int s = (int) t.timeNs & wheelMask;
    Timer prev = t.prev;
    Timer next = t.next;
    if (prev == null) {
      heads[s] = next;
    } else {
      prev.next = next;
    }
    if (next == null) {
      tails[s] = prev;
    } else {
      next.prev = prev;
    }
    if (heads[s] == null) {
      used[s >>> 6] &= ~(1L << s);
    }
    t.prev = null;
    t.next = null;
  }

  private void heapAdd(Timer t) {
    t.where = HEAP;
    if (heapSize == heap.length) {
      heap = Arrays.copyOf(heap, heapSize * 2);
    }
    siftUp(heapSize++, t);
  }

  private void heapRemove(Timer t) {
    t.where = IDLE;
    int i = t.heapIndex;
    int last = --heapSize;
    Timer moved = heap[last];
    heap[last] = null;
    if (i == last) {
      return;
    }
    if (i > 0 && before(moved, heap[(i - 1) / ARITY])) {
      siftUp(i, moved);
    } else {
      siftDown(i, moved);
    }
  }

  private static boolean before(Timer a, Timer b) {
    return before(a.timeNs, a.seq, b.timeNs, b.seq);
  }

  /** Puts {@code t} at heap index {@code i} or above. */
  private void siftUp(int i, Timer t) {
    Timer[] h = heap;
    while (i > 0) {
      int parent = (i - 1) / ARITY;
      if (!before(t, h[parent])) {
        break;
      }
      place(h[parent], i);
      i = parent;
    }
    place(t, i);
  }

  /** Puts {@code t} at heap index {@code i} or below. */
  private void siftDown(int i, Timer t) {
    Timer[] h = heap;
    int n = heapSize;
    while (true) {
      int first = ARITY * i + 1;
      if (first >= n) {
        break;
      }
      int min = first;
      int end = Math.min(first + ARITY, n);
      for (int c = first + 1; c < end; c++) {
        if (before(h[c], h[min])) {
          min = c;
        }
      }
      if (!before(h[min], t)) {
        break;
      }
      place(h[min], i);
      i = min;
    }
    place(t, i);
  }

  private void place(Timer t, int i) {
    heap[i] = t;
    t.heapIndex = i;
  }

  /**
   * An event owned by one engine. Subclasses implement {@link #fire()}; a timer may be scheduled
   * again once it has fired or been cancelled, so long-lived objects keep one and reuse it.
   */
  public abstract static class Timer {
    private final Engine engine;
    private final int id;
    private long timeNs;
    /** The second part of the key: sequence number, or delta cycle and id (intrinsic order). */
    private long seq;
    /** Neighbours in the wheel slot. */
    private Timer prev;
    private Timer next;
    private int heapIndex;
    private byte where;

    protected Timer(Engine engine) {
      this.engine = engine;
      this.id = engine.nextTimerId++;
    }

    /**
     * The timer's id: the order it was created in, which orders same-time events when asked.
     */
    public final int timerId() {
      return id;
    }

    /** True while this timer is in the event list. */
    public final boolean pending() {
      return where != IDLE;
    }

    /** The time this timer fires (or last fired) at. */
    public final long timeNs() {
      return timeNs;
    }

    protected abstract void fire();
  }
}
