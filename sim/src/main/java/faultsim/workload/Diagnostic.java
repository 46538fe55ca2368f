package faultsim.workload;

/**
 * One located error in an input file: {@code file:line:column: message}. Lines and columns are
 * 1-based; a message about a command-line value names the option instead of a file.
 */
public record Diagnostic(String file, int line, int column, String message) {
  @Override
  public String toString() {
    return line > 0 ? file + ":" + line + ":" + column + ": " + message : file + ": " + message;
  }
}
