package faultsim.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code violations.txt} read into tables of two (or more) columns, one per task, the way the
 * seed threads draw a race as "Process A / Process B": each step of an interleaving is a row, in
 * the column of the task that took it. Violations that read the same (same kind, same steps) are
 * shown once, with every replication and time at which the file lists them.
 *
 * <p>The file's layout: {@code design NAME: N violations}; under it, one violation per
 * two-space-indented line {@code KIND rR t=Tns[ task TASK]: TEXT}; its interleaving, if any, as
 * the four-space-indented lines that follow, {@code [TASK] step} (a step that conflicts ends in
 * {@code << what it did}; a run of steps left out reads {@code [TASK] ... N steps of task T
 * elided}), with one {@code culprit: ...} line naming the task whose step changed the state. An
 * invalid-context violation without an interleaving ({@code task T: OP called in atomic context
 * (HELD)}) becomes the task's call beside what it held. Other lines are kept as notes.
 *
 * @param designs per design, in file order
 */
public record Violations(List<DesignViolations> designs) {
  /** One design's violations; {@code headline} is the file's count, e.g. {@code 3 violations}. */
  public record DesignViolations(String design, String headline, List<Violation> violations,
      List<String> notes) {}

  /**
   * One violation, or several that read the same.
   *
   * @param kind oracle kind, e.g. {@code invalid_context}
   * @param summary what happened, in a sentence
   * @param culprit the interleaving's culprit line (without {@code culprit: }), or empty
   * @param culpritColumn the index of the culprit's column, or -1
   * @param columns column headings: the tasks, or a task and what it held
   * @param rows the steps, each as wide as {@code columns}
   * @param where per replication, the simulated times at which the file lists it
   * @param listed how many times the file lists it
   * @param id the page anchor of the violation ({@link #anchor})
   * @param firstOfKind whether it is the design's first violation of its kind (shown open)
   */
  public record Violation(String kind, String summary, String culprit, int culpritColumn,
      List<String> columns, List<List<String>> rows, List<String> where, int listed, String id,
      boolean firstOfKind) {}

  /** A step cell's text without its conflict mark. */
  public static String stepText(String cell) {
    int at = cell.indexOf(MARK);
    return at < 0 ? cell : cell.substring(0, at);
  }

  /** What a step cell's conflict mark says it did, or empty. */
  public static String stepMark(String cell) {
    int at = cell.indexOf(MARK);
    return at < 0 ? "" : cell.substring(at + MARK.length());
  }

  private static final String MARK = "  << ";

  /** The page anchor of a design's {@code index}-th violation (0 for its first). */
  static String anchor(String design, int index) {
    return "violation-" + Report.slug(design) + "-" + index;
  }

  /**
   * One violation as a hunt's {@code .violation.txt} writes it ({@code KIND t=Tns: summary},
   * then its interleaving), found in replication {@code replication} of {@code design}: read as
   * {@code violations.txt} would list it.
   */
  static Violation ofHunt(String design, int replication, String text) {
    String[] lines = text.split("\n", 2);
    int space = lines[0].indexOf(' ');
    if (space < 0) {
      throw new IllegalArgumentException("not a violation: " + lines[0]);
    }
    String listed = "design " + design + ": 1 violation\n  " + lines[0].substring(0, space)
        + " r" + replication + lines[0].substring(space) + "\n" + (lines.length > 1 ? lines[1]
        : "");
    List<DesignViolations> ds = parse(listed).designs();
    if (ds.isEmpty() || ds.get(0).violations().isEmpty()) {
      throw new IllegalArgumentException("not a violation: " + lines[0]);
    }
    return ds.get(0).violations().get(0);
  }

  private static final Pattern DESIGN = Pattern.compile("^design (.+): (\\d+ violations?)$");
  private static final Pattern HEAD_TASK =
      Pattern.compile("^  (\\S+) r(\\d+) t=(\\d+)ns task (\\S+?): (.*)$");
  private static final Pattern HEAD = Pattern.compile("^  (\\S+) r(\\d+) t=(\\d+)ns:? ?(.*)$");
  private static final Pattern ATOMIC =
      Pattern.compile("^(.*) called in atomic context \\((.*)\\)$");
  private static final Pattern STEP = Pattern.compile("^    \\[([^\\]]+)\\] ?(.*)$");
  private static final Pattern CULPRIT = Pattern.compile("^    culprit: (.*)$");
  private static final Pattern CULPRIT_TASK = Pattern.compile("^task (\\S+) ");

  static Violations parse(String text) {
    List<DesignViolations> designs = new ArrayList<>();
    DesignBuilder design = null;
    Pending pending = null;
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Matcher m;
      Matcher t;
      if ((m = DESIGN.matcher(line)).matches()) {
        if (design != null) {
          designs.add(design.done(pending));
        }
        pending = null;
        design = new DesignBuilder(m.group(1), m.group(2));
      } else if (design != null && ((t = HEAD_TASK.matcher(line)).matches()
          || (m = HEAD.matcher(line)).matches())) {
        design.add(pending);
        boolean withTask = t.matches();
        Matcher h = withTask ? t : m;
        pending = new Pending(h.group(1), Integer.parseInt(h.group(2)),
            Long.parseLong(h.group(3)));
        String rest = withTask ? h.group(5) : h.group(4);
        Matcher a = ATOMIC.matcher(rest);
        if (withTask && a.matches()) {
          pending.summary = "task " + h.group(4) + " called a function that may sleep while"
              + " in atomic context";
          pending.step("task " + h.group(4), a.group(1));
          pending.step("held at the time", a.group(2));
          pending.sameRow = true;
        } else {
          pending.summary = withTask ? "task " + h.group(4) + ": " + rest : rest;
        }
      } else if (pending != null && (m = CULPRIT.matcher(line)).matches()) {
        pending.culprit = m.group(1);
      } else if (pending != null && (m = STEP.matcher(line)).matches()) {
        pending.step(m.group(1), m.group(2));
      } else if (design != null) {
        design.add(pending);
        pending = null;
        design.notes.add(line.strip());
      }
    }
    if (design != null) {
      designs.add(design.done(pending));
    }
    return new Violations(designs);
  }

  /** A design's violations, identical ones merged. */
  private static final class DesignBuilder {
    final String design;
    final String headline;
    final Map<List<Object>, Group> groups = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();

    DesignBuilder(String design, String headline) {
      this.design = design;
      this.headline = headline;
    }

    void add(Pending p) {
      if (p == null) {
        return;
      }
      Violation v = p.violation();
      List<Object> key = List.of(v.kind(), v.summary(), v.culprit(), v.columns(), v.rows());
      groups.computeIfAbsent(key, k -> new Group(v)).at(p.replication, p.timeNs);
    }

    DesignViolations done(Pending last) {
      add(last);
      List<Violation> out = new ArrayList<>();
      java.util.Set<String> kinds = new java.util.HashSet<>();
      for (Group g : groups.values()) {
        Violation v = g.done();
        out.add(new Violation(v.kind(), v.summary(), v.culprit(), v.culpritColumn(), v.columns(),
            v.rows(), v.where(), v.listed(), anchor(design, out.size()), kinds.add(v.kind())));
      }
      return new DesignViolations(design, headline, out, List.copyOf(notes));
    }
  }

  private static final class Group {
    final Violation first;
    final TreeMap<Integer, List<Long>> times = new TreeMap<>();
    int listed;

    Group(Violation first) {
      this.first = first;
    }

    void at(int replication, long timeNs) {
      times.computeIfAbsent(replication, k -> new ArrayList<>()).add(timeNs);
      listed++;
    }

    Violation done() {
      List<String> where = new ArrayList<>();
      for (Map.Entry<Integer, List<Long>> e : times.entrySet()) {
        List<String> ts = new ArrayList<>();
        for (long t : e.getValue()) {
          ts.add(Fmt.time(t));
        }
        where.add("replication " + e.getKey() + " at t = " + String.join(", ", ts));
      }
      return new Violation(first.kind(), first.summary(), first.culprit(), first.culpritColumn(),
          first.columns(), first.rows(), List.copyOf(where), listed, "", false);
    }
  }

  /** A violation being read: its steps by column. */
  private static final class Pending {
    final String kind;
    final int replication;
    final long timeNs;
    String summary = "";
    String culprit = "";
    boolean sameRow;
    final Map<String, Integer> columns = new LinkedHashMap<>();
    final List<String[]> steps = new ArrayList<>();

    Pending(String kind, int replication, long timeNs) {
      this.kind = kind;
      this.replication = replication;
      this.timeNs = timeNs;
    }

    void step(String column, String text) {
      if (sameRow && !column.startsWith("task ") && !column.equals("held at the time")) {
        // An interleaving follows: it replaces the call-beside-what-it-held row.
        sameRow = false;
        columns.clear();
        steps.clear();
      }
      columns.putIfAbsent(column, columns.size());
      steps.add(new String[] {column, text});
    }

    Violation violation() {
      int width = columns.size();
      List<List<String>> rows = new ArrayList<>();
      if (sameRow) {
        List<String> row = new ArrayList<>();
        for (String[] s : steps) {
          row.add(s[1]);
        }
        rows.add(List.copyOf(row));
      } else {
        for (String[] s : steps) {
          List<String> row = new ArrayList<>();
          for (int i = 0; i < width; i++) {
            row.add(i == columns.get(s[0]) ? s[1] : "");
          }
          rows.add(List.copyOf(row));
        }
      }
      int culpritColumn = -1;
      Matcher t = CULPRIT_TASK.matcher(culprit);
      if (t.find()) {
        List<String> names = List.copyOf(columns.keySet());
        for (int i = 0; i < names.size() && culpritColumn < 0; i++) {
          if (names.get(i).equals(t.group(1)) || names.get(i).startsWith(t.group(1) + " (")) {
            culpritColumn = i;
          }
        }
      }
      return new Violation(kind, summary, culprit, culpritColumn,
          List.copyOf(columns.keySet()), List.copyOf(rows), List.of(), 1, "", false);
    }
  }
}
