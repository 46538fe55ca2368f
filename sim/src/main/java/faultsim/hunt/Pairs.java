package faultsim.hunt;

import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.HashMap;
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
 * section, the read it issues).
 */
final class Pairs {
  private Pairs() {}

  /**
   * How far past the later call the earlier one is moved: after that task's call {@code j}
   * further on, {@code j} drawn from these (0: just after the later call itself).
   */
  static final int[] LANDINGS = {0, 1, 2, 3, 5, 8};
  /** Partners kept per call that removes, per other task, on each side of it in time. */
  static final int NEAREST = 2;
  /** Touches of the same object looked at on each side of a call that removes, at most. */
  static final int SCAN = 4096;
  /** The chance a schedule forces the order of two lock acquisitions rather than two accesses. */
  static final double LOCK_SHARE = 0.2;

  /** One point of the recorded run. */
  record Rec(String task, long ordinal, String primitive, long timeNs, List<Access> touches,
      int taskIndex) {}

  /** Records every point of an unperturbed run: its task, time and what it touches. */
  static final class Observed extends Perturbations.Recording {
    private final Access.Ids ids = new Access.Ids();
    private final List<Rec> recs = new ArrayList<>();
    private final Map<String, List<Integer>> byTask = new TreeMap<>();

    @Override
    public boolean observesArguments() {
      return true;
    }

    @Override
    void observe(Task t, long ordinal, String primitive, Object[] args) {
      List<Access> touches = args == null ? List.of() : Access.of(primitive, args, ids);
      List<Integer> mine = byTask.computeIfAbsent(t.name(), k -> new ArrayList<>());
      mine.add(recs.size());
      recs.add(new Rec(t.name(), ordinal, primitive, t.machine().engine().now(), touches,
          mine.size() - 1));
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
      for (int x = 0; x < list.size(); x++) {
        Access r = access(list.get(x));
        if (!r.removes()) {
          continue;
        }
        int ri = list.get(x)[0];
        String rt = recs.get(ri).task();
        Map<String, Integer> before = new HashMap<>();
        for (int y = x - 1; y >= 0 && x - y <= SCAN; y--) {
          int ai = list.get(y)[0];
          String at = recs.get(ai).task();
          if (!at.equals(rt) && !access(list.get(y)).removes()
              && access(list.get(y)).overlaps(r) && before.merge(at, 1, Integer::sum)
                  <= NEAREST) {
            add(window(list, x, y, +1) ? windowGroups : accessGroups, ai, ri);
          }
        }
        Map<String, Integer> after = new HashMap<>();
        for (int y = x + 1; y < list.size() && y - x <= SCAN; y++) {
          int ai = list.get(y)[0];
          String at = recs.get(ai).task();
          if (!at.equals(rt) && !access(list.get(y)).removes()
              && access(list.get(y)).overlaps(r) && after.merge(at, 1, Integer::sum)
                  <= NEAREST) {
            add(window(list, x, y, -1) ? windowGroups : accessGroups, ri, ai);
          }
        }
      }
    }

    /**
     * Whether the task of the remover {@code list[x]} has another call that removes state the
     * access {@code list[y]} touches, on side {@code dir} of {@code x} (+1: later, -1: earlier),
     * so that forcing the access past {@code x} lands it between the two.
     */
    private boolean window(List<int[]> list, int x, int y, int dir) {
      String rt = recs.get(list.get(x)[0]).task();
      Access a = access(list.get(y));
      for (int z = x + dir, n = 0; z >= 0 && z < list.size() && n < SCAN; z += dir, n++) {
        Access o = access(list.get(z));
        if (o.removes() && recs.get(list.get(z)[0]).task().equals(rt) && o.overlaps(a)) {
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

    private void add(Map<String, List<Pair>> groups, int early, int late) {
      if (early == late) {
        return;
      }
      String key = recs.get(early).primitive() + ">" + recs.get(late).primitive();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new Pair(early, late));
    }

    /**
     * How many pair schedules the run is worth: up to {@code most} when it has window pairs
     * (one per window pair, the window groups drawn evenly), else one: a run where no access
     * can be put inside a remover's window gets a single try before the next replication.
     */
    int schedules(int most) {
      int w = windowGroups.values().stream().mapToInt(List::size).sum();
      return w == 0 ? 1 : Math.min(most, w);
    }

    /** Pairs found, of every kind. */
    int size() {
      return windowGroups.values().stream().mapToInt(List::size).sum()
          + accessGroups.values().stream().mapToInt(List::size).sum()
          + lockGroups.values().stream().mapToInt(List::size).sum();
    }

    /**
     * The delay of one schedule, drawn from {@code rnd}: a group, a pair of it and a landing;
     * null when the run has no pair.
     */
    Point draw(SplittableRandom rnd) {
      Map<String, List<Pair>> groups = !windowGroups.isEmpty() ? windowGroups
          : accessGroups.isEmpty() || (!lockGroups.isEmpty() && rnd.nextDouble() < LOCK_SHARE)
              ? lockGroups : accessGroups;
      if (groups.isEmpty()) {
        return null;
      }
      List<List<Pair>> gs = new ArrayList<>(groups.values());
      List<Pair> g = gs.get(rnd.nextInt(gs.size()));
      Pair pair = g.get(rnd.nextInt(g.size()));
      int j = LANDINGS[rnd.nextInt(LANDINGS.length)];
      return delay(pair, j);
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
