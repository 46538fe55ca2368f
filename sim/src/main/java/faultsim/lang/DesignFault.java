package faultsim.lang;

import faultsim.machine.SimulationException;
import java.util.List;

/**
 * A fault in a design program while it runs: a lock primitive misused (releasing a lock not
 * held), a NULL dereference, a division by zero, a non-void function ending without
 * {@code return}, or a loop that runs on without simulated time passing. The message names the
 * design file, line and column of the statement, the task's design call stack innermost first,
 * and the underlying message:
 *
 * <pre>
 * test.design:7:5: task A at 1000 ns: mutex_unlock(m) but the lock is held by nobody
 *   at helper (test.design:7)
 *   at do_fault (test.design:12)
 * </pre>
 */
public final class DesignFault extends SimulationException {
  private static final long serialVersionUID = 1L;

  private final String location;
  private final transient List<String> designStack;
  private final String detail;

  DesignFault(String location, List<String> designStack, String detail, Throwable cause) {
    super(format(location, designStack, detail), cause);
    this.location = location;
    this.designStack = List.copyOf(designStack);
    this.detail = detail;
  }

  /** {@code file:line:column} of the statement that faulted. */
  public String location() {
    return location;
  }

  /** The design call stack, innermost first: {@code function (file:line)}. */
  public List<String> designStack() {
    return designStack;
  }

  /** What went wrong, without the location and stack. */
  public String detail() {
    return detail;
  }

  /** The longest cycle of frames folded: mutual recursion through up to this many functions. */
  static final int MAX_FOLDED_CYCLE = 8;

  /**
   * The message: location, detail and the stack, innermost first, with a run of three or more
   * repeats of the same frame or cycle of frames (runaway recursion) folded into one line.
   */
  static String format(String location, List<String> stack, String detail) {
    StringBuilder sb = new StringBuilder(location).append(": ").append(detail);
    int i = 0;
    while (i < stack.size()) {
      int bestPeriod = 0;
      int bestRepeats = 1;
      for (int period = 1; period <= MAX_FOLDED_CYCLE && i + 2 * period <= stack.size();
          period++) {
        int repeats = 1;
        while (i + (repeats + 1) * period <= stack.size()
            && stack.subList(i, i + period).equals(
                stack.subList(i + repeats * period, i + (repeats + 1) * period))) {
          repeats++;
        }
        if (repeats >= 3 && repeats * period > bestRepeats * Math.max(bestPeriod, 1)) {
          bestPeriod = period;
          bestRepeats = repeats;
        }
      }
      if (bestPeriod == 0) {
        sb.append("\n  at ").append(stack.get(i++));
        continue;
      }
      for (String frame : stack.subList(i, i + bestPeriod)) {
        sb.append("\n  at ").append(frame);
      }
      sb.append("\n  ... ").append(bestPeriod == 1 ? "that frame" : "those " + bestPeriod
          + " frames").append(" repeated ").append(bestRepeats - 1).append(" more time")
          .append(bestRepeats == 2 ? "" : "s");
      i += bestPeriod * bestRepeats;
    }
    return sb.toString();
  }
}
