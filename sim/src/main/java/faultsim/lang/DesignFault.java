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

  private static String format(String location, List<String> stack, String detail) {
    StringBuilder sb = new StringBuilder(location).append(": ").append(detail);
    for (String frame : stack) {
      sb.append("\n  at ").append(frame);
    }
    return sb.toString();
  }
}
