package faultsim.hunt;

import faultsim.lang.Primitive;
import faultsim.machine.LockInstance;
import faultsim.machine.HeldLock;
import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The {@code pairs} strategy: from an unperturbed run, pairs of calls of different tasks that
 * touch the same shared state ({@link Access}), and for a chosen pair the one delay that makes
 * the later call land first (after Razzer, Jeong et al. S&amp;P 2019, and Snowboard, Gong et al.
 * SOSP 2021, which pick two accesses to the same memory from different threads and force their
 * racy order, and KCSAN's delays at watchpoints). A delay before a call changes nothing before
 * it, so the run up to the delayed call is the recorded one and the delay is computed from the
 * recorded times: the earlier task waits until just after the later call (or after one of the
 * calls its task makes next, landing inside what that task does after it: its critical
 * section, the read it issues), or past the later task's last step on each kind of state the
 * earlier one goes on to use ({@link Plan#follows}). A pair is kept only if the later task
 * can get there while the earlier one waits, holding none of its locks ({@link
 * Plan#unblocked}).
 */
final class Pairs {
  private Pairs() {}

  /**
   * Where the earlier call may land: just after the later call, or just after one of the next
   * calls of the later task that touch the same state (the allocation, insertion, read and
   * mapping that follow a page-cache lookup), this many of them at most, looked for among its
   * next {@link #HORIZON} calls.
   */
  static final int LANDINGS = 6;
  /** Calls of the later task looked at for landings. */
  static final int HORIZON = 64;
  /** Partners kept per call that removes, per other task, on each side of it in time. */
  static final int NEAREST = 2;
  /** Touches of the same object looked at on each side of a call that removes, at most. */
  static final int SCAN = 4096;
  /** Pairs drawn for a schedule before giving up on finding one whose delay is short enough. */
  static final int TRIES = 8;
  /** The chance a schedule forces the order of two lock acquisitions rather than two accesses. */
  static final double LOCK_SHARE = 0.2;

  /**
   * One point of the recorded run: its task, the task's point number, primitive and time, what
   * it touches, its place among the task's points, the task's operation count then, and the
   * locks the task holds as it makes the call ({@link Observed#held}).
   */
  record Rec(String task, long ordinal, String primitive, long timeNs, List<Access> touches,
      int taskIndex, long op, int[] held) {}

  private static final int[] NONE = new int[0];

  /** Records every point of an unperturbed run: its task, time and what it touches. */
  static final class Observed extends Perturbations.Recording {
    private final Access.Ids ids = new Access.Ids();
    private final List<Rec> recs = new ArrayList<>();
    private final Map<String, List<Integer>> byTask = new TreeMap<>();
    private final Map<LockInstance, Integer> locks = new IdentityHashMap<>();

    @Override
    public boolean observesArguments() {
      return true;
    }

    @Override
    void observe(Task t, long ordinal, Primitive primitive, Object[] args) {
      List<Access> touches = args == null ? List.of() : Access.of(primitive, args, ids);
      List<Integer> mine = byTask.computeIfAbsent(t.name(), k -> new ArrayList<>());
      mine.add(recs.size());
      recs.add(new Rec(t.name(), ordinal, primitive.name(), t.machine().engine().now(), touches,
          mine.size() - 1, t.operations(), held(t)));
    }

    /**
     * The locks {@code t} holds, each numbered by first appearance, times two, plus one when
     * held for write.
     */
    private int[] held(Task t) {
      int n = t.heldCount();
      if (n == 0) {
        return NONE;
      }
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        HeldLock h = t.heldAt(i);
        out[i] = locks.computeIfAbsent(h.lock(), k -> locks.size()) * 2 + (h.write() ? 1 : 0);
      }
      return out;
    }

    @Override
    long decide(Task t, long ordinal, String primitive, long index) {
      return 0;
    }

    Plan plan() {
      return Plan.of(recs, byTask);
    }
  }

  /** Two points of different tasks, {@code early} before {@code late} in simulation order. */
  record Pair(int early, int late) {}

  /**
   * A run's pairs, grouped by which primitives meet in which order (a schedule draws a group,
   * then a pair of it, so a kind of meeting with few pairs is tried as often as one with many).
   */
  static final class Plan {
    final List<Rec> recs;
    final Map<String, List<Integer>> byTask;
    /**
     * Pairs whose forced order puts the access inside the remover's window: between two of the
     * remover's calls that both remove state the access touches (the page-cache truncation
     * and the freeing of the blocks of a hole punch, say), where the access sees the state
     * half taken away.
     */
    final Map<String, List<Pair>> windowGroups = new TreeMap<>();
    final Map<String, List<Pair>> accessGroups = new TreeMap<>();
    final Map<String, List<Pair>> lockGroups = new TreeMap<>();

    private Plan(List<Rec> recs, Map<String, List<Integer>> byTask) {
      this.recs = recs;
      this.byTask = byTask;
    }

    static Plan of(List<Rec> recs, Map<String, List<Integer>> byTask) {
      Plan p = new Plan(recs, byTask);
      // Each object's touches, in simulation order: {point, touch}.
      Map<Access.Space, Map<Integer, List<int[]>>> touches = new HashMap<>();
      for (int i = 0; i < recs.size(); i++) {
        List<Access> ts = recs.get(i).touches();
        for (int k = 0; k < ts.size(); k++) {
          Access a = ts.get(k);
          touches.computeIfAbsent(a.space(), x -> new TreeMap<>())
              .computeIfAbsent(a.object(), x -> new ArrayList<>()).add(new int[] {i, k});
        }
      }
      for (Access.Space space : Access.Space.values()) {
        for (List<int[]> list : touches.getOrDefault(space, Map.of()).values()) {
          if (space == Access.Space.LOCK) {
            p.lockPairs(list);
          } else {
            p.accessPairs(list);
          }
        }
      }
      return p;
    }

    private Access access(int[] e) {
      return recs.get(e[0]).touches().get(e[1]);
    }

    /**
     * For each call that removes, the nearest calls of each other task that read, add or map
     * overlapping state, before and after it.
     */
    private void accessPairs(List<int[]> list) {
      // Where each task removes, in order; which tasks read, add or map.
      Map<String, List<Integer>> removals = new HashMap<>();
      java.util.Set<String> accessors = new java.util.HashSet<>();
      for (int x = 0; x < list.size(); x++) {
        String task = recs.get(list.get(x)[0]).task();
        if (access(list.get(x)).removes()) {
          removals.computeIfAbsent(task, k -> new ArrayList<>()).add(x);
        } else {
          accessors.add(task);
        }
      }
      for (int x = 0; x < list.size(); x++) {
        Access r = access(list.get(x));
        if (!r.removes()) {
          continue;
        }
        int ri = list.get(x)[0];
        String rt = recs.get(ri).task();
        int others = accessors.size() - (accessors.contains(rt) ? 1 : 0);
        List<Integer> mine = removals.get(rt);
        for (int dir = -1; dir <= 1; dir += 2) {
          Map<String, Integer> seen = new HashMap<>();
          int full = 0;
          for (int y = x + dir; y >= 0 && y < list.size() && Math.abs(y - x) <= SCAN
              && full < others; y += dir) {
            int ai = list.get(y)[0];
            String at = recs.get(ai).task();
            Access a = access(list.get(y));
            if (at.equals(rt) || a.removes() || !a.overlaps(r)) {
              continue;
            }
            int n = seen.merge(at, 1, Integer::sum);
            if (n == NEAREST) {
              full++;
            }
            if (n <= NEAREST) {
              // Forcing the access past the removal lands it next to the removal on the far
              // side: a window if the remover removes the same state again there.
              boolean w = window(list, mine, x, r, a, -dir);
              if (dir < 0) {
                add(w ? windowGroups : accessGroups, ai, ri);
              } else {
                add(w ? windowGroups : accessGroups, ri, ai);
              }
            }
          }
        }
      }
    }

    /**
     * Whether the remover of {@code list[x]} (whose removals on this object are at positions
     * {@code mine} of {@code list}, in order) removes again, on side {@code dir} of {@code x} (+1: later, -1: earlier), some
     * of the state both {@code r} (the removal at {@code x}) and the access {@code a} touch, so
     * that forcing the access past {@code x} lands it between two removals of that state (not
     * merely between removals of two neighbours in a range the access walks).
     */
    private boolean window(List<int[]> list, List<Integer> mine, int x, Access r, Access a,
        int dir) {
      long lo = Math.max(r.lo(), a.lo());
      long hi = Math.min(r.hi(), a.hi());
      int at = java.util.Collections.binarySearch(mine, x);
      for (int z = at + dir, n = 0; z >= 0 && z < mine.size() && n < SCAN; z += dir, n++) {
        Access o = access(list.get(mine.get(z)));
        if (Math.max(lo, o.lo()) < Math.min(hi, o.hi())) {
          return true;
        }
      }
      return false;
    }

    /**
     * Each acquisition of a lock with the one before it by another task, when either is
     * exclusive: forcing their order lets the later one in first.
     */
    private void lockPairs(List<int[]> list) {
      for (int x = 1; x < list.size(); x++) {
        int li = list.get(x)[0];
        for (int y = x - 1; y >= 0; y--) {
          int ei = list.get(y)[0];
          if (!recs.get(ei).task().equals(recs.get(li).task())) {
            if (access(list.get(x)).removes() || access(list.get(y)).removes()) {
              add(lockGroups, ei, li);
            }
            break;
          }
        }
      }
    }

    /**
     * Adds the pair to its group unless the later task cannot get past the delayed call at all
     * ({@link #unblocked} at landing 0: a later landing asks more of it), so that a kind of
     * meeting whose order the locks fix takes no schedule.
     */
    private void add(Map<String, List<Pair>> groups, int early, int late) {
      if (early == late || !unblocked(new Pair(early, late), 0)) {
        return;
      }
      String key = recs.get(early).primitive() + ">" + recs.get(late).primitive();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new Pair(early, late));
    }

    /**
     * How many pair schedules the run is worth: one per group of window pairs, up to {@code
     * most}, else one: a run where no access can be put inside a remover's window gets a
     * single try before the next replication.
     */
    int schedules(int most) {
      return windowGroups.isEmpty() ? 1 : Math.min(most, windowGroups.size());
    }

    /** Pairs found, of every kind. */
    int size() {
      return windowGroups.values().stream().mapToInt(List::size).sum()
          + accessGroups.values().stream().mapToInt(List::size).sum()
          + lockGroups.values().stream().mapToInt(List::size).sum();
    }

    /**
     * The delay of the {@code k}-th pair schedule (from 0) on this run, drawn from {@code rnd}:
     * window groups in turn from {@code first} (so the round's schedules try each kind of
     * window once before any twice), else a group drawn at random; then a pair of the group and
     * a landing whose delay is at most {@code maxDelayNs} (the longest operation of the run: a
     * task held up longer than any operation takes, inside a critical section, is no schedule a
     * kernel makes), up to {@link #TRIES} pairs. Null when the run has no such pair.
     */
    Point draw(SplittableRandom rnd, int first, int k, long maxDelayNs) {
      List<Pair> g;
      if (!windowGroups.isEmpty()) {
        List<List<Pair>> gs = new ArrayList<>(windowGroups.values());
        g = gs.get(Math.floorMod(first + k, gs.size()));
      } else {
        Map<String, List<Pair>> groups = accessGroups.isEmpty()
            || (!lockGroups.isEmpty() && rnd.nextDouble() < LOCK_SHARE) ? lockGroups
            : accessGroups;
        if (groups.isEmpty()) {
          return null;
        }
        List<List<Pair>> gs = new ArrayList<>(groups.values());
        g = gs.get(rnd.nextInt(gs.size()));
      }
      for (int tries = 0; tries < TRIES; tries++) {
        Pair pair = g.get(rnd.nextInt(g.size()));
        List<Point> near = fitting(pair, landings(pair), maxDelayNs);
        List<Point> far = fitting(pair, follows(pair), maxDelayNs);
        // The near landings and the far ones get even shares, however many of each there are.
        List<Point> fit = far.isEmpty() || (!near.isEmpty() && rnd.nextBoolean()) ? near : far;
        if (!fit.isEmpty()) {
          return fit.get(rnd.nextInt(fit.size()));
        }
      }
      return null;
    }

    /** The delays of {@code pair} to the landings {@code js} that fit: short, unblocked. */
    private List<Point> fitting(Pair pair, List<Integer> js, long maxDelayNs) {
      List<Point> fit = new ArrayList<>();
      for (int j : js) {
        Point p = delay(pair, j);
        if (p.delayNs() <= maxDelayNs && unblocked(pair, j)) {
          fit.add(p);
        }
      }
      return fit;
    }

    /**
     * How far past the later call of {@code pair} the earlier may land, in calls of the later
     * task, near the later call: 0, and each of its next calls (up to {@link #LANDINGS} - 1 of
     * them within {@link #HORIZON}) that touches state the later call touches.
     */
    List<Integer> landings(Pair pair) {
      Rec l = recs.get(pair.late());
      List<Integer> theirs = byTask.get(l.task());
      List<Integer> out = new ArrayList<>(List.of(0));
      for (int j = 1; j <= HORIZON && l.taskIndex() + j < theirs.size()
          && out.size() < LANDINGS; j++) {
        Rec n = recs.get(theirs.get(l.taskIndex() + j));
        if (touches(l.touches(), n.touches())) {
          out.add(j);
        }
      }
      return out;
    }

    /**
     * Landings past the later task's whole effect on what the earlier task goes on to use, in
     * calls past the later call, in order, none of them one of {@link #landings}: for each kind
     * of state ({@link Access.Space}) the earlier task touches from the delayed call to the end
     * of its operation (within {@link #HORIZON} of its calls), the later task's last call of
     * the operation it is in at the later call that touches that state. A removal is often
     * undone by its remover's own later steps before the access forced ahead of it can show
     * anything: a truncation unmaps the range again after taking the page cache away, so a
     * fault let in just after the page-cache removal still has its PTE zapped, and only one
     * let in after the second unmap (and before the truncation ends) leaves a PTE behind. Such
     * a bug has more than one ordering constraint (its depth in PCT's terms, Burckhardt et al.
     * ASPLOS 2010: the lookup after the removal, and the mapping after the unmap), where
     * Razzer's and Snowboard's forced order meets the first only; landing after the remover's
     * last step on each kind of state the access goes on to use meets the others with the same
     * single delay. Which kind's last step matters depends on the state the failure shows in
     * (the page cache, a PTE, the blocks), so each kind gives its own landing.
     */
    List<Integer> follows(Pair pair) {
      Rec e = recs.get(pair.early());
      Rec l = recs.get(pair.late());
      List<Integer> mine = byTask.get(e.task());
      List<Access> next = new ArrayList<>();
      for (int j = 0; j < HORIZON && e.taskIndex() + j < mine.size(); j++) {
        Rec n = recs.get(mine.get(e.taskIndex() + j));
        if (n.op() != e.op()) {
          break;
        }
        next.addAll(n.touches());
      }
      Map<Access.Space, Integer> last = new java.util.EnumMap<>(Access.Space.class);
      List<Integer> theirs = byTask.get(l.task());
      for (int j = 1; l.taskIndex() + j < theirs.size(); j++) {
        Rec n = recs.get(theirs.get(l.taskIndex() + j));
        if (n.op() != l.op()) {
          break;
        }
        for (Access x : n.touches()) {
          for (Access y : next) {
            if (x.overlaps(y)) {
              last.put(x.space(), j);
            }
          }
        }
      }
      List<Integer> near = landings(pair);
      return last.values().stream().filter(j -> !near.contains(j)).distinct().sorted().toList();
    }

    private static boolean touches(List<Access> a, List<Access> b) {
      for (Access x : a) {
        for (Access y : b) {
          if (x.overlaps(y)) {
            return true;
          }
        }
      }
      return false;
    }

    /**
     * Whether the later task of {@code pair} can get to landing {@code j} while the earlier one
     * is held up: none of its calls from the delayed call's time to the landing is made holding
     * a lock the earlier task holds at the delayed call, in a mode that excludes the earlier
     * task's (one of the two for write). Where it is, the later task waits out the delay at
     * that lock and nothing is reordered (a fault delayed under the PTL, in the middle of its
     * batch, holds off the truncate's unmap). A forced order must be feasible under the
     * program's synchronization: RaceFuzzer, Sen PLDI 2008, only pauses a thread at a racing
     * access not protected by a lock the other needs, and CTrigger, Park et al. ASPLOS 2009,
     * prunes the interleavings the locks make infeasible before trying any.
     */
    boolean unblocked(Pair pair, int j) {
      Rec e = recs.get(pair.early());
      if (e.held().length == 0) {
        return true;
      }
      Rec l = recs.get(pair.late());
      List<Integer> theirs = byTask.get(l.task());
      int to = Math.min(theirs.size() - 1, l.taskIndex() + j);
      for (int i = to; i >= 0 && (i >= l.taskIndex()
          || recs.get(theirs.get(i)).timeNs() > e.timeNs()); i--) {
        if (excludes(e.held(), recs.get(theirs.get(i)).held())) {
          return false;
        }
      }
      return true;
    }

    private static boolean excludes(int[] a, int[] b) {
      for (int x : a) {
        for (int y : b) {
          if (x >> 1 == y >> 1 && ((x | y) & 1) != 0) {
            return true;
          }
        }
      }
      return false;
    }

    /** The point delaying {@code pair.early} until just after the late task's call {@code j}. */
    Point delay(Pair pair, int j) {
      Rec e = recs.get(pair.early());
      Rec l = recs.get(pair.late());
      List<Integer> theirs = byTask.get(l.task());
      Rec land = recs.get(theirs.get(Math.min(theirs.size() - 1, l.taskIndex() + j)));
      long d = Math.max(1, land.timeNs() - e.timeNs() + 1);
      return new Point(e.task(), e.ordinal(), e.primitive(), d);
    }
  }
}
