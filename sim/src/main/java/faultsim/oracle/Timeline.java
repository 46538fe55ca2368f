package faultsim.oracle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Renders the steps of two (or more) tasks in simulated-time order, one line per step tagged
 * with its task ({@code    [task] time  step}): the report draws them as the "Process A /
 * Process B" table of the seed threads, one column per task.
 */
final class Timeline {
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
    if (all.size() > MAX_ROWS) {
      all = all.subList(all.size() - MAX_ROWS, all.size());
    }
    StringBuilder sb = new StringBuilder();
    for (TaskTrace.Step st : all) {
      sb.append("    [").append(st.task()).append("] ")
          .append(String.format(Locale.ROOT, "%12s", formatTime(st.timeNs()))).append("  ")
          .append(st.text().stripTrailing()).append('\n');
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

  static String formatTime(long ns) {
    return String.format(Locale.ROOT, "%.3fus", ns / 1000.0);
  }

}
