package faultsim.machine;

/**
 * A fault in what a program asked the machine to do (releasing a lock it does not hold, exiting
 * with locks held, sleeping where it may not, a deadlock). Stops the run; the message names the
 * task, the simulated time and the offending operation. Subclasses add where in a design program
 * the fault happened.
 */
public class SimulationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SimulationException(String message) {
    super(message);
  }

  public SimulationException(String message, Throwable cause) {
    super(message, cause);
  }
}
