package faultsim.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code violations.txt} read into tables of two (or more) columns, one per task, the way the
 * seed threads draw a race as "Process A / Process B": each step of an interleaving is a row,
 * in the column of the task that took it.
 *
 * <p>The file's layout: {@code design NAME: N violations}; under it, one violation per
 * two-space-indented line {@code KIND rR t=Tns ...}; an interleaving follows as four-space
 * indented lines {@code [TASK] step}. An invalid-context violation ({@code task T: OP called in
 * atomic context (HELD)}) becomes the task's step beside what it held. Other lines are kept as
 * notes.
 *
 * @param designs per design, in file order
 */
public record Violations(List<DesignViolations> designs) {
  /** One design's violations; {@code headline} is the file's count line. */
  public record DesignViolations(String design, String headline, List<Violation> violations,
      List<String> notes) {}

  /**
   * One violation.
   *
   * @param kind oracle kind, e.g. {@code invalid_context}
   * @param where replication and simulated time, e.g. {@code replication 0, t = 1.234 ms}
   * @param summary the rest of the violation's line
   * @param columns column headings (tasks, or a task and its context)
   * @param rows the steps, each as wide as {@code columns}
   */
  public record Violation(String kind, String where, String summary, List<String> columns,
      List<List<String>> rows) {}

  private static final Pattern DESIGN = Pattern.compile("^design (.+): (\\d+ violations?)$");
  private static final Pattern HEAD =
      Pattern.compile("^  (\\S+) r(\\d+) t=(\\d+)ns(?: task (\\S+))?:? ?(.*)$");
  private static final Pattern ATOMIC = Pattern.compile("^(.*) called in atomic context \\((.*)\\)$");
  private static final Pattern STEP = Pattern.compile("^    \\[([^\\]]+)\\] ?(.*)$");

  static Violations parse(String text) {
    List<DesignViolations> designs = new ArrayList<>();
    String design = null;
    String headline = "";
    List<Violation> current = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Pending pending = null;
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Matcher m;
      if ((m = DESIGN.matcher(line)).matches()) {
        if (pending != null) {
          current.add(pending.done());
          pending = null;
        }
        if (design != null) {
          designs.add(new DesignViolations(design, headline, current, notes));
        }
        design = m.group(1);
        headline = m.group(2);
        current = new ArrayList<>();
        notes = new ArrayList<>();
      } else if ((m = HEAD.matcher(line)).matches()) {
        if (pending != null) {
          current.add(pending.done());
        }
        String where = "replication " + m.group(2) + ", t = "
            + Fmt.time(Long.parseLong(m.group(3)));
        pending = new Pending(m.group(1), where);
        String task = m.group(4);
        String rest = m.group(5);
        Matcher a = ATOMIC.matcher(rest);
        if (task != null && a.matches()) {
          pending.summary = "a sleeping call in atomic context";
          pending.step("task " + task, a.group(1) + " (may sleep)");
          pending.step("held at the time", a.group(2));
          pending.sameRow = true;
        } else {
          pending.summary = task != null ? "task " + task + ": " + rest : rest;
        }
      } else if (pending != null && (m = STEP.matcher(line)).matches()) {
        pending.step(m.group(1), m.group(2));
      } else {
        if (pending != null) {
          current.add(pending.done());
          pending = null;
        }
        notes.add(line.strip());
      }
    }
    if (pending != null) {
      current.add(pending.done());
    }
    if (design != null) {
      designs.add(new DesignViolations(design, headline, current, notes));
    }
    return new Violations(designs);
  }

  /** A violation being read: steps by column. */
  private static final class Pending {
    final String kind;
    final String where;
    String summary = "";
    boolean sameRow;
    final Map<String, Integer> columns = new LinkedHashMap<>();
    final List<String[]> steps = new ArrayList<>();

    Pending(String kind, String where) {
      this.kind = kind;
      this.where = where;
    }

    void step(String column, String text) {
      columns.putIfAbsent(column, columns.size());
      steps.add(new String[] {column, text});
    }

    Violation done() {
      int width = columns.size();
      List<List<String>> rows = new ArrayList<>();
      if (sameRow) {
        List<String> row = new ArrayList<>();
        for (String[] s : steps) {
          row.add(s[1]);
        }
        rows.add(row);
      } else {
        for (String[] s : steps) {
          List<String> row = new ArrayList<>();
          for (int i = 0; i < width; i++) {
            row.add(i == columns.get(s[0]) ? s[1] : "");
          }
          rows.add(row);
        }
      }
      return new Violation(kind, where, summary, List.copyOf(columns.keySet()), rows);
    }
  }

  /** Total violations listed for every design. */
  public long total() {
    long n = 0;
    for (DesignViolations d : designs) {
      n += Long.parseLong(d.headline().split(" ")[0]);
    }
    return n;
  }
}
