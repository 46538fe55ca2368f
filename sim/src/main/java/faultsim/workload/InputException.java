package faultsim.workload;

import java.util.List;

/**
 * Bad input: a workload file, a design file or a command-line value that cannot be used. Carries
 * located diagnostics; the command line prints them and exits with status 2.
 */
public final class InputException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<Diagnostic> diagnostics;

  public InputException(List<Diagnostic> diagnostics) {
    super(diagnostics.isEmpty() ? "bad input" : diagnostics.get(0).toString());
    this.diagnostics = List.copyOf(diagnostics);
  }

  public InputException(Diagnostic d) {
    this(List.of(d));
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}
