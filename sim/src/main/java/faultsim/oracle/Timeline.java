package faultsim.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text form of an interleaving ({@link Interleaving} writes it): one line per step tagged
 * with its task ({@code    [task] time  step}), in simulated-time order, after one line per task
 * saying where it was at its last step, as the design functions it was in, outermost first
 * ({@code    [punch] in vfs_fallocate > ext4_punch_hole}); and that text drawn as the "Process A
 * / Process B" table of the seed threads, one column per task.
 */
public final class Timeline {
  private Timeline() {}

  private static final java.util.regex.Pattern STEP =
      java.util.regex.Pattern.compile("^    \\[([^\\]]+)\\] +(\\d+\\.\\d+us)  (.*)$");
  private static final java.util.regex.Pattern ELIDED =
      java.util.regex.Pattern.compile("^    \\[([^\\]]+)\\] (\\.\\.\\. \\d+ steps? of .* elided)$");
  private static final java.util.regex.Pattern CULPRIT =
      java.util.regex.Pattern.compile("^    (culprit: .*)$");

  /**
   * An interleaving's text ({@link Interleaving#render}) as the seed threads draw
   * a race: its culprit line, then a time column and one column per task, each step in its
   * task's column (a run of steps elided as {@code ...} with its count); other lines are
   * dropped.
   */
  public static String columns(String timeline, int width) {
    List<String> tasks = new ArrayList<>();
    List<String[]> rows = new ArrayList<>();
    String culprit = null;
    for (String line : timeline.split("\n")) {
      java.util.regex.Matcher m = STEP.matcher(line);
      java.util.regex.Matcher e = ELIDED.matcher(line);
      java.util.regex.Matcher c = CULPRIT.matcher(line);
      if (c.matches()) {
        culprit = c.group(1);
        continue;
      }
      String[] row = m.matches() ? new String[] {m.group(1), m.group(2), m.group(3)}
          : e.matches() ? new String[] {e.group(1), "", "..." + e.group(2).substring(3)
              .replaceFirst(" of .* elided$", " elided")} : null;
      if (row == null) {
        continue;
      }
      if (!tasks.contains(row[0])) {
        tasks.add(row[0]);
      }
      rows.add(row);
    }
    if (rows.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(culprit == null ? "" : culprit + "\n")
        .append(String.format(Locale.ROOT, "%12s", ""));
    for (String t : tasks) {
      sb.append(" | ").append(fit(t, width));
    }
    sb.setLength(sb.toString().stripTrailing().length());
    sb.append('\n').append("-".repeat(12));
    for (int i = 0; i < tasks.size(); i++) {
      sb.append("-+-").append("-".repeat(width));
    }
    sb.append('\n');
    for (String[] r : rows) {
      sb.append(String.format(Locale.ROOT, "%12s", r[1]));
      for (String t : tasks) {
        sb.append(" | ").append(fit(t.equals(r[0]) ? r[2] : "", width));
      }
      int end = sb.length();
      while (sb.charAt(end - 1) == ' ' || sb.charAt(end - 1) == '|') {
        end--;
      }
      sb.setLength(end);
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String fit(String s, int width) {
    return s.length() > width ? s.substring(0, width - 1) + "~"
        : s + " ".repeat(width - s.length());
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

}
