package faultsim.oracle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Renders the steps of two (or more) tasks as the "Process A / Process B" table of the seed
 * threads: one column per task, rows in simulated-time order. The first line says where each
 * task was at its last step, as the design functions it was in, outermost first
 * ({@code punch: vfs_fallocate > ext4_punch_hole | reader/0: do_user_addr_fault > ... >
 * filemap_fault}).
 */
final class Timeline {
  private static final int WIDTH = 56;
  private static final int MAX_ROWS = 40;

  private Timeline() {}

  static String render(List<TaskTrace> tasks, long fromNs, long toNs) {
    List<TaskTrace.Step> all = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    for (TaskTrace t : tasks) {
      if (t == null || columns.contains(t.task())) {
        continue;
      }
      columns.add(t.task());
      all.addAll(t.steps(fromNs, toNs));
    }
    if (all.isEmpty()) {
      return "";
    }
    all.sort(Comparator.comparingLong(TaskTrace.Step::timeNs));
    StringBuilder sb = new StringBuilder("   ");
    String sep = " ";
    for (String c : columns) {
      List<TaskTrace.Step> own = new ArrayList<>();
      for (TaskTrace.Step s : all) {
        if (s.task().equals(c)) {
          own.add(s);
        }
      }
      String fn = where(own);
      sb.append(sep).append(c).append(": ").append(fn == null ? "(no design function)" : fn);
      sep = " | ";
    }
    sb.append('\n');
    if (all.size() > MAX_ROWS) {
      all = all.subList(all.size() - MAX_ROWS, all.size());
    }
    sb.append(String.format(Locale.ROOT, "    %12s", "time"));
    for (String c : columns) {
      sb.append("  ").append(pad(c, WIDTH));
    }
    sb.append('\n');
    for (TaskTrace.Step s : all) {
      sb.append(String.format(Locale.ROOT, "    %12s", formatTime(s.timeNs())));
      for (String c : columns) {
        sb.append("  ").append(pad(c.equals(s.task()) ? s.text() : "", WIDTH));
      }
      int end = sb.length();
      while (end > 0 && sb.charAt(end - 1) == ' ') {
        end--;
      }
      sb.setLength(end);
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Renders steps already gathered, in columns named {@code columns}. */
  static String renderSteps(List<String> columns, List<TaskTrace.Step> steps) {
    List<TaskTrace> tasks = new ArrayList<>();
    for (String c : columns) {
      TaskTrace t = new TaskTrace(c);
      for (TaskTrace.Step s : steps) {
        if (s.task().equals(c)) {
          t.replay(s);
        }
      }
      tasks.add(t);
    }
    return render(tasks, 0, Long.MAX_VALUE);
  }

  /**
   * The design functions a task was in at its last step (notes aside), outermost first: with the
   * function that step entered, if it entered one. Null if the task was at the top level.
   */
  static String where(List<TaskTrace.Step> steps) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      String text = steps.get(i).text().strip();
      if (text.startsWith("#")) {
        continue;
      }
      // Function entries are recorded by name alone; primitives with their arguments.
      String stack = steps.get(i).stack();
      if (text.indexOf('(') >= 0) {
        return stack;
      }
      return stack == null ? text : stack + " > " + text;
    }
    return null;
  }

  static String formatTime(long ns) {
    return String.format(Locale.ROOT, "%.3fus", ns / 1000.0);
  }

  private static String pad(String s, int w) {
    if (s.length() > w) {
      return s.substring(0, w - 1) + "~";
    }
    return s + " ".repeat(w - s.length());
  }
}
