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
 * <p><b>Event list.</b> A binary min-heap of the pending timers themselves, keyed by (time,
 * sequence number of the {@link #schedule} call); each timer knows its slot, so cancelling is
 * O(log n) and scheduling or firing allocates nothing once the array has grown to the number of
 * timers pending at once. The key is a total order, so the firing order is the ordering rule
 * above whatever the heap's shape: the same order as a list that inserts each event after all
 * events of the same time (the SSJ Henriksen list this replaced).
 */
public final class Engine {
  private Timer[] heap = new Timer[64];
  private int size;
  private long now;
  private long nextSeq;
  private long eventsFired;
  private long stopAtNs = Long.MAX_VALUE;
  private boolean stopped;
  private boolean halted;

  /** The current simulated time in nanoseconds. */
  public long now() {
    return now;
  }

  /** Number of events that have fired so far. */
  public long eventsFired() {
    return eventsFired;
  }

  /** Number of timers pending. */
  public int pending() {
    return size;
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
    if (timer.slot >= 0) {
      throw new IllegalStateException("timer already scheduled (at " + timer.timeNs + " ns)");
    }
    timer.timeNs = now + delayNs;
    timer.seq = nextSeq++;
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    siftUp(size++, timer);
  }

  /** Cancels {@code timer} if it is pending. */
  public void cancel(Timer timer) {
    int i = timer.slot;
    if (i < 0 || timer.engine != this) {
      return;
    }
    timer.slot = -1;
    Timer last = heap[--size];
    heap[size] = null;
    if (i == size) {
      return;
    }
    if (i > 0 && before(last, heap[(i - 1) >>> 1])) {
      siftUp(i, last);
    } else {
      siftDown(i, last);
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
    while (size > 0 && heap[0].timeNs <= untilNs) {
      Timer t = removeFirst();
      now = t.timeNs;
      eventsFired++;
      t.fire();
      if (stopped) {
        return;
      }
    }
    now = untilNs;
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

  private Timer removeFirst() {
    Timer first = heap[0];
    first.slot = -1;
    Timer last = heap[--size];
    heap[size] = null;
    if (size > 0) {
      siftDown(0, last);
    }
    return first;
  }

  private static boolean before(Timer a, Timer b) {
    return a.timeNs < b.timeNs || (a.timeNs == b.timeNs && a.seq < b.seq);
  }

  private void siftUp(int i, Timer t) {
    Timer[] h = heap;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Timer p = h[parent];
      if (!before(t, p)) {
        break;
      }
      h[i] = p;
      p.slot = i;
      i = parent;
    }
    h[i] = t;
    t.slot = i;
  }

  private void siftDown(int i, Timer t) {
    Timer[] h = heap;
    int n = size;
    while (true) {
      int child = (i << 1) + 1;
      if (child >= n) {
        break;
      }
      Timer c = h[child];
      int right = child + 1;
      if (right < n && before(h[right], c)) {
        child = right;
        c = h[right];
      }
      if (!before(c, t)) {
        break;
      }
      h[i] = c;
      c.slot = i;
      i = child;
    }
    h[i] = t;
    t.slot = i;
  }

  /**
   * An event owned by one engine. Subclasses implement {@link #fire()}; a timer may be scheduled
   * again once it has fired or been cancelled, so long-lived objects keep one and reuse it.
   */
  public abstract static class Timer {
    private final Engine engine;
    private long timeNs;
    private long seq;
    /** Index in the engine's heap while pending, -1 otherwise. */
    private int slot = -1;

    protected Timer(Engine engine) {
      this.engine = engine;
    }

    /** True while this timer is in the event list. */
    public final boolean pending() {
      return slot >= 0;
    }

    /** The time this timer fires (or last fired) at. */
    public final long timeNs() {
      return timeNs;
    }

    protected abstract void fire();
  }
}
