package faultsim.oracle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A violation's interleaving centred on the state it is about ({@link Touches}): of every task
 * whose recorded steps touched that state, those steps, the acquisitions and releases of the
 * locks held around them, and the oracle's notes on the operation involved; everything else is
 * elided with a count. The steps that conflict are marked with what they did ({@code << removes
 * index 92 from the page cache}), and a line names the culprit: the task whose step changed the
 * state under another's use of it.
 *
 * <p>The text is the one {@link Timeline} writes: one {@code [task] in f > g} line per task (where
 * it was at its last step), the {@code culprit:} line, then one {@code [task] time  step} line per
 * step in simulated-time order and one {@code [task] ... N steps of task elided} line per run of
 * steps left out. At most {@value #MAX_ROWS} lines: when more steps touched the state, locks
 * around them go first, then the oldest plain touches, the conflicting steps last.
 */
final class Interleaving {
  /** The most lines an interleaving has: one screen. */
  static final int MAX_ROWS = 30;
  /** The most tasks (columns) shown. */
  static final int MAX_COLUMNS = 4;
  /** Steps shown of a task whose steps touch nothing of the state: its last ones. */
  private static final int LAST_STEPS = 12;

  private Interleaving() {}

  /** One column: a label, the task it is of, its records in time order. */
  record Column(String label, String task, List<TaskTrace.Record> records) {
    static Column of(TaskTrace t, long toNs) {
      return new Column(t.task(), t.task(), t.records(0, toNs));
    }
  }

  /** What an interleaving centres on, and what is known of the roles of its tasks. */
  static final class Focus {
    final Touches.Target target;
    final List<String> must = new ArrayList<>();
    final Map<String, String> lastStep = new HashMap<>();
    String culprit;
    String victim;
    String culpritDid;
    Touches.Role culpritRole = Touches.Role.CHANGE;
    boolean changeBeforeUse;

    Focus(Touches.Target target) {
      this.target = target;
    }

    /** Always show column {@code label}, in this order before the others. */
    Focus show(String label) {
      if (label != null && !must.contains(label)) {
        must.add(label);
      }
      return this;
    }

    /** Column {@code label} is the culprit's (shown). */
    Focus culprit(String label) {
      culprit = label;
      return show(label);
    }

    /** Column {@code label} is the one whose use of the state the culprit broke (shown). */
    Focus victim(String label) {
      victim = label;
      return show(label);
    }

    /** The last step of column {@code label} is a conflicting one: it {@code did}. */
    Focus lastStep(String label, String did) {
      lastStep.put(label, did);
      return show(label);
    }

    /**
     * The culprit, when not told, is the task whose step of this role came last: by default the
     * one that changed the state; {@link Touches.Role#USE} when the violation is that an
     * operation could not finish because others kept using what it removes (no progress).
     */
    Focus culpritBy(Touches.Role role) {
      culpritRole = role;
      return this;
    }

    /**
     * The culprit's conflicting step is its last change before the victim's use (a folio removed
     * while the victim held a reference to it, then mapped), not its last change overall (blocks
     * freed after the victim read them).
     */
    Focus changeBeforeUse() {
      changeBeforeUse = true;
      return this;
    }

    /** What the culprit did, said when none of its recorded steps touched the state. */
    Focus culpritDid(String did) {
      culpritDid = did;
      return this;
    }
  }

  /** A step chosen for the listing. */
  private record Pick(int column, int index, int priority, String mark) {}

  /** The interleaving of {@code focus} over {@code columns}. */
  static String render(Focus focus, List<Column> columns) {
    // Each column's touches of the state.
    List<Column> cols = new ArrayList<>();
    List<Map<Integer, Touches.Touch>> touches = new ArrayList<>();
    Map<String, Integer> byLabel = new HashMap<>();
    for (Column c : columns) {
      if (c == null || byLabel.containsKey(c.label())) {
        continue;
      }
      Map<Integer, Touches.Touch> t = new TreeMap<>();
      for (int i = 0; i < c.records().size(); i++) {
        Touches.Touch x = focus.target.touch(c.records().get(i));
        if (x != null) {
          t.put(i, x);
        }
      }
      String did = focus.lastStep.get(c.label());
      if (did != null && !c.records().isEmpty()) {
        t.put(c.records().size() - 1, new Touches.Touch(Touches.Role.CHANGE, did));
      }
      byLabel.put(c.label(), cols.size());
      cols.add(c);
      touches.add(t);
    }
    // The columns shown: those asked for, then those that used or changed the state, latest
    // first.
    List<Integer> shown = new ArrayList<>();
    for (String m : focus.must) {
      Integer i = byLabel.get(m);
      if (i != null && !cols.get(i).records().isEmpty()) {
        shown.add(i);
      }
    }
    List<Integer> others = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      if (!shown.contains(i) && lastActive(cols.get(i), touches.get(i)) >= 0) {
        others.add(i);
      }
    }
    others.sort(Comparator.comparingLong((Integer i) -> -lastActive(cols.get(i),
        touches.get(i))).thenComparingInt(i -> i));
    for (int i : others) {
      if (shown.size() >= MAX_COLUMNS) {
        break;
      }
      shown.add(i);
    }
    if (shown.isEmpty()) {
      return "";
    }
    // The culprit: as told, or the shown task that changed the state last; its victim: as told,
    // or another shown task that used it last.
    Integer culprit = focus.culprit == null ? null : byLabel.get(focus.culprit);
    if (culprit == null) {
      culprit = latest(shown, cols, touches, focus.culpritRole,
          focus.victim == null ? -1 : byLabel.getOrDefault(focus.victim, -1));
    }
    Touches.Role victimRole = focus.culpritRole == Touches.Role.CHANGE ? Touches.Role.USE
        : Touches.Role.CHANGE;
    Integer victim = focus.victim == null ? null : byLabel.get(focus.victim);
    if (victim == null && culprit != null) {
      victim = latest(shown, cols, touches, victimRole, culprit);
    }
    int victimStep = victim == null ? -1 : conflictStep(victim, cols, touches, focus,
        victimRole, Long.MAX_VALUE);
    long useNs = focus.changeBeforeUse && victimStep >= 0
        ? cols.get(victim).records().get(victimStep).timeNs() : Long.MAX_VALUE;
    int culpritStep = culprit == null ? -1 : conflictStep(culprit, cols, touches, focus,
        focus.culpritRole, useNs);

    List<Pick> picks = new ArrayList<>();
    for (int c : shown) {
      List<TaskTrace.Record> recs = cols.get(c).records();
      Map<Integer, Pick> mine = new TreeMap<>();
      for (Map.Entry<Integer, Touches.Touch> e : touches.get(c).entrySet()) {
        Touches.Touch t = e.getValue();
        boolean conflict = (culprit != null && c == culprit && e.getKey() == culpritStep)
            || (victim != null && c == victim && e.getKey() == victimStep);
        boolean strong = t.role() == Touches.Role.USE || t.role() == Touches.Role.CHANGE;
        // The victim's lookups are its side of the race: kept before the others' lookups.
        boolean victims = victim != null && c == victim;
        mine.put(e.getKey(), new Pick(c, e.getKey(), conflict ? 0 : strong || victims ? 1 : 2,
            strong ? t.what() : null));
      }
      if (focus.must.contains(cols.get(c).label())) {
        for (int i = 0; i < recs.size(); i++) {
          if (recs.get(i).name().startsWith("# ")) {
            mine.putIfAbsent(i, new Pick(c, i, 2, null));
          }
        }
      }
      if (mine.isEmpty()) {
        // A task shown for itself whose steps touch nothing of the state: its last steps.
        for (int i = Math.max(0, recs.size() - LAST_STEPS); i < recs.size(); i++) {
          mine.put(i, new Pick(c, i, 2, null));
        }
      }
      List<Integer> strong = new ArrayList<>();
      mine.values().stream().filter(p -> p.priority() <= 1).forEach(p -> strong.add(p.index()));
      for (int b : brackets(recs, strong)) {
        mine.putIfAbsent(b, new Pick(c, b, 3, null));
      }
      picks.addAll(mine.values());
    }

    String culpritLine = culprit == null ? null
        : culpritLine(cols.get(culprit), culpritStep, touches.get(culprit), focus,
            victim == null ? null : cols.get(victim), victimStep,
            victim == null ? null : touches.get(victim));
    List<String> where = new ArrayList<>();
    for (int c : shown) {
      String w = Timeline.where(steps(cols.get(c).records()));
      if (w != null) {
        where.add("    [" + cols.get(c).label() + "] in " + w);
      }
    }
    int header = where.size() + (culpritLine == null ? 0 : 1);
    trim(picks, cols, header);

    // The listing: steps and elided runs, in time order.
    record Row(long timeNs, int column, int index, String text) {}
    List<Row> rows = new ArrayList<>();
    for (int c : shown) {
      List<TaskTrace.Record> recs = cols.get(c).records();
      String label = cols.get(c).label();
      List<Pick> mine = picks.stream().filter(p -> p.column() == c)
          .sorted(Comparator.comparingInt(Pick::index)).toList();
      int from = 0;
      for (Pick p : mine) {
        if (p.index() > from) {
          rows.add(new Row(recs.get(from).timeNs(), c, from, elided(label, cols.get(c).task(), p.index() - from)));
        }
        TaskTrace.Step s = recs.get(p.index()).step();
        String text = s.text().stripTrailing() + (p.mark() == null ? "" : "  << " + p.mark());
        rows.add(new Row(s.timeNs(), c, p.index(), "    [" + label + "] "
            + String.format(Locale.ROOT, "%12s", Timeline.formatTime(s.timeNs())) + "  "
            + text));
        from = p.index() + 1;
      }
      if (from < recs.size() && !mine.isEmpty()) {
        rows.add(new Row(recs.get(from).timeNs(), c, from, elided(label, cols.get(c).task(), recs.size() - from)));
      }
    }
    rows.sort(Comparator.comparingLong(Row::timeNs).thenComparingInt(Row::column)
        .thenComparingInt(Row::index));
    StringBuilder sb = new StringBuilder();
    for (String w : where) {
      sb.append(w).append('\n');
    }
    if (culpritLine != null) {
      sb.append("    ").append(culpritLine).append('\n');
    }
    for (Row r : rows) {
      sb.append(r.text()).append('\n');
    }
    return sb.toString();
  }

  private static String elided(String label, String task, int n) {
    return "    [" + label + "] ... " + n + (n == 1 ? " step of task " : " steps of task ") + task
        + " elided";
  }

  private static List<TaskTrace.Step> steps(List<TaskTrace.Record> recs) {
    List<TaskTrace.Step> out = new ArrayList<>();
    for (TaskTrace.Record r : recs) {
      out.add(r.step());
    }
    return out;
  }

  /** The time of a column's last use or change of the state, or -1. */
  private static long lastActive(Column c, Map<Integer, Touches.Touch> t) {
    long last = -1;
    for (Map.Entry<Integer, Touches.Touch> e : t.entrySet()) {
      Touches.Role r = e.getValue().role();
      if (r == Touches.Role.USE || r == Touches.Role.CHANGE) {
        last = Math.max(last, c.records().get(e.getKey()).timeNs());
      }
    }
    return last;
  }

  /** The shown column other than {@code not} whose last touch in {@code role} is latest. */
  private static Integer latest(List<Integer> shown, List<Column> cols,
      List<Map<Integer, Touches.Touch>> touches, Touches.Role role, int not) {
    Integer best = null;
    long bestNs = -1;
    for (int c : shown) {
      if (c == not) {
        continue;
      }
      for (Map.Entry<Integer, Touches.Touch> e : touches.get(c).entrySet()) {
        long ns = cols.get(c).records().get(e.getKey()).timeNs();
        if (e.getValue().role() == role && ns > bestNs) {
          best = c;
          bestNs = ns;
        }
      }
    }
    return best;
  }

  /**
   * A column's conflicting step: its marked last step if it has one, else its last touch in
   * {@code role} at or before {@code beforeNs} (if none, its last in {@code role}), else its
   * last use or change; -1 if none.
   */
  private static int conflictStep(int c, List<Column> cols,
      List<Map<Integer, Touches.Touch>> touches, Focus focus, Touches.Role role,
      long beforeNs) {
    if (focus.lastStep.containsKey(cols.get(c).label()) && !cols.get(c).records().isEmpty()) {
      return cols.get(c).records().size() - 1;
    }
    int any = -1;
    int inRole = -1;
    int inRoleBefore = -1;
    for (Map.Entry<Integer, Touches.Touch> e : touches.get(c).entrySet()) {
      Touches.Role r = e.getValue().role();
      if (r == role) {
        inRole = e.getKey();
        if (cols.get(c).records().get(e.getKey()).timeNs() <= beforeNs) {
          inRoleBefore = e.getKey();
        }
      }
      if (r == Touches.Role.USE || r == Touches.Role.CHANGE) {
        any = e.getKey();
      }
    }
    return inRoleBefore >= 0 ? inRoleBefore : inRole >= 0 ? inRole : any;
  }

  /**
   * For the picked steps of one task: the acquisitions of the locks it held at each (taken
   * within its records) and their releases.
   */
  private static List<Integer> brackets(List<TaskTrace.Record> recs, List<Integer> picked) {
    List<Integer> out = new ArrayList<>();
    List<int[]> pairs = new ArrayList<>();
    List<Integer> open = new ArrayList<>();
    List<Touches.LockOp> openOps = new ArrayList<>();
    for (int i = 0; i < recs.size(); i++) {
      Touches.LockOp op = Touches.lockOf(recs.get(i));
      if (op == null) {
        continue;
      }
      if (op.acquire()) {
        open.add(i);
        openOps.add(op);
        continue;
      }
      for (int k = openOps.size() - 1; k >= 0; k--) {
        if (openOps.get(k).sameLock(op)) {
          pairs.add(new int[] {open.get(k), i});
          open.remove(k);
          openOps.remove(k);
          break;
        }
      }
    }
    for (int k : open) {
      pairs.add(new int[] {k, Integer.MAX_VALUE});
    }
    for (int[] p : pairs) {
      for (int s : picked) {
        if (s > p[0] && s < p[1]) {
          out.add(p[0]);
          if (p[1] != Integer.MAX_VALUE) {
            out.add(p[1]);
          }
          break;
        }
      }
    }
    return out;
  }

  /**
   * Drops picks until the listing fits in {@link #MAX_ROWS} lines with its {@code header}: the
   * least important first (locks around, then plain touches, then other marked steps), oldest
   * first among equals; the two conflicting steps stay.
   */
  private static void trim(List<Pick> picks, List<Column> cols, int header) {
    while (header + rows(picks, cols) > MAX_ROWS) {
      Pick drop = null;
      for (Pick p : picks) {
        if (p.priority() == 0) {
          continue;
        }
        if (drop == null || p.priority() > drop.priority()
            || (p.priority() == drop.priority() && time(cols, p) < time(cols, drop))) {
          drop = p;
        }
      }
      if (drop == null) {
        return;
      }
      picks.remove(drop);
    }
  }

  private static long time(List<Column> cols, Pick p) {
    return cols.get(p.column()).records().get(p.index()).timeNs();
  }

  /** Lines of the listing: the picks, and one per run of steps elided between or around them. */
  private static int rows(List<Pick> picks, List<Column> cols) {
    Map<Integer, List<Integer>> byColumn = new LinkedHashMap<>();
    for (Pick p : picks) {
      byColumn.computeIfAbsent(p.column(), k -> new ArrayList<>()).add(p.index());
    }
    int n = picks.size();
    for (Map.Entry<Integer, List<Integer>> e : byColumn.entrySet()) {
      List<Integer> idx = e.getValue();
      idx.sort(null);
      int from = 0;
      for (int i : idx) {
        n += i > from ? 1 : 0;
        from = i + 1;
      }
      n += from < cols.get(e.getKey()).records().size() ? 1 : 0;
    }
    return n;
  }

  /**
   * {@code culprit: task T (job J, in F) did X at T1, after task V did Y at T0}: the culprit's
   * conflicting step, and the victim's if there is one.
   */
  private static String culpritLine(Column c, int step, Map<Integer, Touches.Touch> touches,
      Focus focus, Column v, int vStep, Map<Integer, Touches.Touch> vTouches) {
    StringBuilder sb = new StringBuilder("culprit: task ").append(c.task());
    String job = faultsim.machine.Task.jobOf(c.task());
    long at = -1;
    String did;
    String fn = null;
    if (step >= 0) {
      TaskTrace.Record r = c.records().get(step);
      at = r.timeNs();
      did = touches.get(step).what();
      String stack = r.step().stack();
      fn = stack == null ? null : stack.substring(stack.lastIndexOf(" > ") + 1)
          .replace(">", "").strip();
    } else {
      did = focus.culpritDid == null ? "changed it before its steps were recorded"
          : focus.culpritDid;
    }
    sb.append(" (job ").append(job).append(fn == null ? "" : ", in " + fn).append(") ")
        .append(did);
    if (at >= 0) {
      sb.append(" at ").append(Timeline.formatTime(at));
    }
    if (v != null && vStep >= 0) {
      long vAt = v.records().get(vStep).timeNs();
      sb.append(at >= 0 && vAt > at ? ", before task " : ", after task ").append(v.task())
          .append(' ').append(vTouches.get(vStep).what()).append(" at ")
          .append(Timeline.formatTime(vAt));
    }
    return sb.toString();
  }
}
