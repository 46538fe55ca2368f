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
 * <p><b>Event list.</b> A 4-ary min-heap keyed by (time, sequence number of the {@link #schedule}
 * call). The keys sit in one {@code long} array, time and sequence side by side, so a sift compares
 * a node's four children within one or two cache lines without touching the timers themselves
 * (with a thousand tasks pending, reading each timer would miss the cache at every level); the
 * heap holds the timers' ids beside their keys, and each timer's slot sits in an array by id,
 * so a sift reads and writes plain numbers alone and cancelling is O(log n). Scheduling
 * and firing allocate nothing once the arrays have grown to the number of timers pending at once.
 * The key is a total order, so the firing order is the ordering rule above whatever the heap's
 * shape: the same order as a list that inserts each event after all events of the same time (the
 * SSJ Henriksen list this replaced).
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

  /**
   * The pending timers by id (null for the others, so that a timer made for one request, such
   * as a device's, is not kept once it has fired).
   */
  private Timer[] byId = new Timer[64];
  /**
   * The keys of the pending timers in heap order: {@code keys[2i]} the time of the timer in slot
   * {@code i}, {@code keys[2i+1]} its sequence.
   */
  private long[] keys = new long[128];
  /**
   * Each timer's index in the heap while pending, -1 otherwise, by timer id: a sift moves
   * timers without touching their objects, which at a thousand tasks lie far apart in memory.
   * Four bytes for every timer the engine has made.
   */
  private int[] slots = new int[64];
  /**
   * The id of the timer in each slot: a sift moves keys and ids alone, plain numbers, and
   * neither reads a timer nor stores a reference (which would also mark a card for the
   * collector).
   */
  private int[] ids = new int[64];
  private int size;
  private long now;
  private long nextSeq;
  private long eventsFired;
  private long stopAtNs = Long.MAX_VALUE;
  private boolean stopped;
  private boolean halted;
  /**
   * The timer firing now, while it still holds slot 0 under its old key (the smallest in the
   * list); null once it is scheduled again or taken out.
   */
  private Timer firing;
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
    if (size > 0 || nextSeq > 0) {
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
    return firing == null ? size : size - 1;
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
    if (slots[timer.id] >= 0) {
      throw new IllegalStateException("timer already scheduled (at " + timer.timeNs + " ns)");
    }
    long time = now + delayNs;
    timer.timeNs = time;
    byId[timer.id] = timer;
    if (timer == firing) {
      // The timer that is firing schedules itself again, as a task does after each costed step:
      // it takes its new key in the slot it still holds, one sift down instead of a removal and
      // an insertion. Its old key was the smallest, so every other timer stayed below it.
      firing = null;
      siftDown(0, timer.id, time, seqOf(timer));
      return;
    }
    long seq = seqOf(timer);
    if (firing != null && before(time, seq, keys[0], keys[1])) {
      // With the intrinsic order a new event may come before the one firing (same time, smaller
      // id): the firing timer gives up slot 0 first.
      firing = null;
      removeFirst();
    }
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
      keys = Arrays.copyOf(keys, size * 4);
    }
    siftUp(size++, timer.id, time, seq);
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

  /** Makes the event at slot 0 the one running: clock, delta cycle and key. */
  private void enter(long time, long seq) {
    now = time;
    currentDelta = seq >>> 32;
    currentKey = key(time, seq);
  }

  /** Cancels {@code timer} if it is pending. */
  public void cancel(Timer timer) {
    if (timer.engine != this) {
      return;
    }
    int i = slots[timer.id];
    if (i < 0) {
      return;
    }
    slots[timer.id] = -1;
    byId[timer.id] = null;
    int last = --size;
    int moved = ids[last];
    long time = keys[2 * last];
    long seq = keys[2 * last + 1];
    if (i == last) {
      return;
    }
    int parent = (i - 1) / ARITY;
    if (i > 0 && before(time, seq, keys[2 * parent], keys[2 * parent + 1])) {
      siftUp(i, moved, time, seq);
    } else {
      siftDown(i, moved, time, seq);
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
    while (size > 0 && keys[0] <= untilNs) {
      fireFirst();
      if (stopped) {
        return;
      }
    }
    now = untilNs;
    eventsFired++;
  }

  /**
   * A step of the running event's timer ends {@code delayNs} from now and its timer goes on at
   * once, without a trip through the event list: the clock moves on, and the step counts as the
   * event it would have been. Only {@code machine/Speculation} calls this, having checked that
   * the step stays within the current {@link #runUntil}; the timer must not be pending.
   */
  public void advanceInline(Timer timer, long delayNs) {
    if (slots[timer.id] >= 0 || firing == timer) {
      throw new IllegalStateException("a timer runs ahead only once out of the event list");
    }
    enter(now + delayNs, timer.id);
    eventsFired++;
  }

  /**
   * Takes {@code timer}, whose event is running, out of the event list (it still holds its
   * slot under its old key until it is scheduled again), so that other events can fire while it
   * runs ahead.
   */
  public void detachFiring(Timer timer) {
    if (firing == timer) {
      firing = null;
      removeFirst();
    }
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
    Timer outer = firing;
    firing = null;
    boolean ok = true;
    // The task's step is in delta cycle 0 of its time: it ended a step of positive length.
    while (size > 0 && before(keys[0], keys[1], time, id)) {
      fireFirst();
      if (stopped) {
        ok = false;
        break;
      }
    }
    now = time;
    currentKey = key;
    currentDelta = delta;
    firing = outer;
    return ok;
  }

  /**
   * Fires the event in slot 0: the clock moves to it, and the timer keeps the slot while it
   * fires unless it is scheduled again or something comes before it.
   */
  private void fireFirst() {
    Timer t = byId[ids[0]];
    slots[t.id] = -1;
    byId[t.id] = null;
    firing = t;
    enter(t.timeNs, keys[1]);
    eventsFired++;
    try {
      t.fire();
    } finally {
      if (firing != null) {
        firing = null;
        removeFirst();
      }
    }
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

  /** Takes out the timer in slot 0 (the one that fired, already marked not pending). */
  private void removeFirst() {
    int last = --size;
    int moved = ids[last];
    if (last > 0) {
      siftDown(0, moved, keys[2 * last], keys[2 * last + 1]);
    }
  }

  private static boolean before(long time, long seq, long otherTime, long otherSeq) {
    return time < otherTime || (time == otherTime && seq < otherSeq);
  }

  /** Puts timer {@code id} with key ({@code time}, {@code seq}) at slot {@code i} or above. */
  private void siftUp(int i, int id, long time, long seq) {
    long[] k = keys;
    while (i > 0) {
      int parent = (i - 1) / ARITY;
      if (!before(time, seq, k[2 * parent], k[2 * parent + 1])) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    put(i, id, time, seq);
  }

  /** Puts timer {@code id} with key ({@code time}, {@code seq}) at slot {@code i} or below. */
  private void siftDown(int i, int id, long time, long seq) {
    long[] k = keys;
    int n = size;
    while (true) {
      int first = ARITY * i + 1;
      if (first >= n) {
        break;
      }
      int min = first;
      long minTime = k[2 * first];
      long minSeq = k[2 * first + 1];
      int end = Math.min(first + ARITY, n);
      for (int c = first + 1; c < end; c++) {
        long ct = k[2 * c];
        long cs = k[2 * c + 1];
        if (before(ct, cs, minTime, minSeq)) {
          min = c;
          minTime = ct;
          minSeq = cs;
        }
      }
      if (!before(minTime, minSeq, time, seq)) {
        break;
      }
      move(min, i);
      i = min;
    }
    put(i, id, time, seq);
  }

  private void move(int from, int to) {
    int id = ids[from];
    ids[to] = id;
    slots[id] = to;
    keys[2 * to] = keys[2 * from];
    keys[2 * to + 1] = keys[2 * from + 1];
  }

  private void put(int i, int id, long time, long seq) {
    ids[i] = id;
    slots[id] = i;
    keys[2 * i] = time;
    keys[2 * i + 1] = seq;
  }

  /**
   * An event owned by one engine. Subclasses implement {@link #fire()}; a timer may be scheduled
   * again once it has fired or been cancelled, so long-lived objects keep one and reuse it.
   */
  public abstract static class Timer {
    private final Engine engine;
    private final int id;
    private long timeNs;
    protected Timer(Engine engine) {
      this.engine = engine;
      this.id = engine.nextTimerId++;
      if (id == engine.slots.length) {
        engine.slots = Arrays.copyOf(engine.slots, id * 2);
        engine.byId = Arrays.copyOf(engine.byId, id * 2);
      }
      engine.slots[id] = -1;
    }

    /**
     * The timer's id: the order it was created in, which orders same-time events when asked.
     */
    public final int timerId() {
      return id;
    }

    /** True while this timer is in the event list. */
    public final boolean pending() {
      return engine.slots[id] >= 0;
    }

    /** The time this timer fires (or last fired) at. */
    public final long timeNs() {
      return timeNs;
    }

    protected abstract void fire();
  }
}
