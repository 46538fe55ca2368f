package faultsim.lang;

import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;

/** The errors found while loading a design: at most {@link #LIMIT} are kept. */
final class Diagnostics {
  static final int LIMIT = 20;

  private final List<Diagnostic> errors = new ArrayList<>();

  void error(String file, int line, int column, String message) {
    if (errors.size() < LIMIT) {
      errors.add(new Diagnostic(file, line, column, message));
    }
  }

  /** An error at {@code token} of {@code src} (columns are 1-based). */
  void error(DesignSource src, Token token, String message) {
    error(src.diagnosticFile(), token.getLine(), token.getCharPositionInLine() + 1, message);
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  int count() {
    return errors.size();
  }

  InputException exception() {
    return new InputException(errors);
  }

  void throwIfAny() throws InputException {
    if (!errors.isEmpty()) {
      throw exception();
    }
  }
}
