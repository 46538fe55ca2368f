package faultsim.machine;

import faultsim.engine.Engine;

/**
 * Exact batching: a task runs ahead through several costed steps in one engine event, and the
 * run detects, on the state itself, any case where that was not the same as firing the steps
 * one by one (optimistic execution, as in Time Warp: Jefferson, "Virtual Time", ACM TOPLAS 7(3),
 * 1985; here with the rollback done by running the replication again without speculating).
 *
 * <p>How it works:
 *
 * <ul>
 *   <li>The engine orders same-time events by delta cycle and timer id
 *       ({@link Engine#setIntrinsicOrder}), so every event has a key, (time, cycle, id), that
 *       does not depend on when it was scheduled, and events fire in the order of their keys. A
 *       step of task T ending at time t (cycle 0: it had a length) comes after exactly the
 *       events whose keys are smaller than (t, 0, T), whatever has fired so far.
 *   <li>When a task's costed step ({@link Task#busy}) ends within the window and before the
 *       current run's limit, the task does not go back to the event list: the clock moves to
 *       the step's end and the task goes on ({@link #inline}). From then on it is
 *       <em>ahead</em>: events with smaller keys have not fired yet.
 *   <li>While ahead, the task may only do what is marked: primitives declared safe to batch,
 *       cursors over the page cache, reads of kernel objects' fields. Each read or write of
 *       shared state leaves its key on the state ({@link Marked}). Anything else first
 *       {@link #catchUp catches up}: the engine fires, inside the task's event, every event
 *       whose key is smaller than the task's, and the task is no longer ahead.
 *   <li>Every access to marked state, by any task, checks the marks: a read with a key smaller
 *       than the state's last write, or a write with a key smaller than its last read or write,
 *       happened in the wrong order. That is a {@link Conflict}; the replication is then run
 *       again without speculating, so results are those of the plain run in every case.
 * </ul>
 *
 * <p>Events, state times and observers are the plain run's: a step run inline counts as an
 * event, the task's time in each state and its core's activity are charged as they would be,
 * and the run never goes past a {@link Engine#runUntil} limit while ahead.
 */
public final class Speculation {
  /** Keys hold times below this. */
  private static final long MAX_TIME_NS = Engine.KEY_TIME_LIMIT_NS;

  private final Engine engine;
  private final long windowNs;
  /**
   * Nesting levels: level 0 is the run itself; each catch-up opens a level in which the events
   * before the catching-up task fire, and one of them may run ahead in its turn, up to that
   * task's key. Per level: the task ahead (or null), when its event fired, and the key (time
   * and timer id, cycle 0) that nothing at the level may reach.
   */
  private Task[] ahead = new Task[8];
  private long[] startNs = new long[8];
  private long[] boundNs = new long[8];
  private int[] boundId = new int[8];
  private int level;
  private long inlined;

  /**
   * @param windowNs how far ahead of its event's time a task may run (0: never)
   */
  public Speculation(Engine engine, long windowNs) {
    if (!engine.intrinsicOrder()) {
      throw new IllegalArgumentException("speculation needs the engine's intrinsic order");
    }
    this.engine = engine;
    this.windowNs = windowNs;
    boundNs[0] = Long.MAX_VALUE;
    boundId[0] = Integer.MAX_VALUE;
  }

  /** Steps run inline so far (each also counted as an engine event). */
  public long inlined() {
    return inlined;
  }

  /** Whether {@code t} is ahead of the clock now. */
  public boolean ahead(Task t) {
    return ahead[level] == t;
  }

  /**
   * Whether {@code t}'s step of {@code ns} may end inline: nobody else is ahead at this level,
   * and the step ends within the window, within the current run, and before the key of the task
   * whose catch-up is firing this event (if any).
   */
  boolean mayInline(Task t, long ns) {
    Task a = ahead[level];
    if (a != null && a != t) {
      return false;
    }
    long now = engine.now();
    long start = a == t ? startNs[level] : now;
    long end = now + ns;
    long bound = boundNs[level];
    return end - start <= windowNs && end <= engine.stopAtNs() && end < MAX_TIME_NS
        && (end < bound || (end == bound && t.timerId() < boundId[level]));
  }

  /** Ends {@code t}'s step of {@code ns} inline (after {@link #mayInline} said yes). */
  void inline(Task t, long ns) {
    if (ahead[level] == null) {
      ahead[level] = t;
      startNs[level] = engine.now();
    }
    inlined++;
    engine.advanceInline(t, ns);
  }

  /**
   * {@code t}'s event ends with a costed step on its core, while it may be ahead of the clock: it
   * stays ahead, its marks on shared state still checked, and others may run ahead in their
   * events. Its next event fires when the clock reaches its time, so no task is ever more than
   * a window and a step ahead of the event being fired.
   */
  void leave(Task t) {
    if (ahead[level] == t) {
      ahead[level] = null;
      long end = engine.now();
      if (end > horizonNs) {
        horizonNs = end;
      }
    }
  }

  /** The latest time a task has run ahead to and left its event at. */
  private long horizonNs;

  /**
   * At the end of a run: a task that ran ahead past the time the run stopped at (a fixed amount
   * of work done, a deadlock) did work the plain run would not have done.
   */
  public void checkEnd() {
    if (horizonNs > engine.now()) {
      throw new Conflict("the run stopped at " + engine.now() + " ns, before a task that had run"
          + " ahead to " + horizonNs + " ns");
    }
  }

  /**
   * If {@code t} is ahead of the clock, fires every event that comes before it; {@code t} is
   * then where a plain run would have it. Throws {@link Conflict} if one of them stopped the
   * run (the plain run would have stopped before {@code t}'s step).
   */
  public void catchUp(Task t) {
    if (ahead[level] != t) {
      return;
    }
    ahead[level] = null;
    if (++level == ahead.length) {
      int n = level * 2;
      ahead = java.util.Arrays.copyOf(ahead, n);
      startNs = java.util.Arrays.copyOf(startNs, n);
      boundNs = java.util.Arrays.copyOf(boundNs, n);
      boundId = java.util.Arrays.copyOf(boundId, n);
    }
    ahead[level] = null;
    boundNs[level] = engine.now();
    boundId[level] = t.timerId();
    boolean ok;
    try {
      ok = engine.catchUp(t);
      if (ahead[level] != null) {
        // A task that ran ahead inside the catch-up ended its event without catching up.
        throw new IllegalStateException(ahead[level].name() + " left ahead of the clock");
      }
    } finally {
      level--;
    }
    if (!ok) {
      throw new Conflict("the run stopped while " + t.name() + " was ahead of the clock");
    }
  }

  /** A read of {@code o} by the event running now. */
  public void read(Marked o) {
    read(o, o);
  }

  /** A write of {@code o} by the event running now. */
  public void write(Marked o) {
    write(o, o);
  }

  /** A read of {@code line} by the event running now. */
  public void read(CacheLine line) {
    read(line.marks(), line);
  }

  /** A write of {@code line} by the event running now. */
  public void write(CacheLine line) {
    write(line.marks(), line);
  }

  private void read(Marked o, Object what) {
    long k = engine.currentKey();
    if (k < o.writeMark || k < 0) {
      throw new Conflict("a read of " + what + " came before a write that was run ahead of it");
    }
    if (k > o.readMark) {
      o.readMark = k;
    }
  }

  private void write(Marked o, Object what) {
    long k = engine.currentKey();
    if (k < o.writeMark || k < o.readMark || k < 0) {
      throw new Conflict("a write of " + what + " came before an access that was run ahead of"
          + " it");
    }
    o.writeMark = k;
  }

  /**
   * A design reads a field of {@code o}: a read of marked state; a task-local object needs
   * nothing; anything else is not covered, so a task ahead of the clock first catches up.
   */
  public static void readField(Speculation s, Object o) {
    if (s == null) {
      return;
    }
    if (o instanceof Marked m) {
      s.read(m);
    } else if (o instanceof CacheLine l) {
      s.read(l);
    } else if (s.ahead[s.level] != null && !(o instanceof TaskLocal)) {
      s.catchUp(s.ahead[s.level]);
    }
  }

  /** If a task is ahead of the clock, lets every event before it fire first. */
  public static void catchUpAhead(Speculation s) {
    if (s != null && s.ahead[s.level] != null) {
      s.catchUp(s.ahead[s.level]);
    }
  }

  /** {@link #read} when {@code s} is not null. */
  public static void read(Speculation s, Marked o) {
    if (s != null) {
      s.read(o);
    }
  }

  /** {@link #write} when {@code s} is not null. */
  public static void write(Speculation s, Marked o) {
    if (s != null) {
      s.write(o);
    }
  }

  /** {@link #read(CacheLine)} when {@code s} is not null. */
  public static void read(Speculation s, CacheLine line) {
    if (s != null) {
      s.read(line);
    }
  }

  /** {@link #write(CacheLine)} when {@code s} is not null. */
  public static void write(Speculation s, CacheLine line) {
    if (s != null) {
      s.write(line);
    }
  }

  /** A design writes a field of {@code o}: a write of it, if it is marked state. */
  public static void writeField(Speculation s, Object o) {
    if (s == null) {
      return;
    }
    if (o instanceof Marked m) {
      s.write(m);
    } else if (o instanceof CacheLine l) {
      s.write(l);
    }
  }

  /**
   * A task ran ahead of the clock and something showed it was not exact. An {@link Error}, so
   * that no handler of the model's own exceptions (a primitive's, a design fault's) takes it:
   * it ends the replication, which is then run again without speculating.
   */
  public static final class Conflict extends Error {
    private static final long serialVersionUID = 1L;

    public Conflict(String what) {
      super(what, null, false, false);
    }
  }
}
