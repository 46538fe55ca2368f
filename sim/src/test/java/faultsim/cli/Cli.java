package faultsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The command line run in this JVM, as a user runs it from the shell. */
public final class Cli {
  private Cli() {}

  /** The standard output of {@code faultsim args...}, which must exit with status 0. */
  public static String out(String... args) {
    StringWriter out = new StringWriter();
    int status = Main.execute(args, new PrintWriter(out, true),
        new PrintWriter(new StringWriter(), true));
    assertThat(status).as("exit status of faultsim %s", String.join(" ", args)).isZero();
    return out.toString();
  }
}
