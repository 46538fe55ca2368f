package faultsim.cli;

import faultsim.report.Report;
import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code faultsim report DIR}: (re)renders the report of a run's, sweep's or hunt's results. */
@Command(name = "report", description = "Render index.html and charts/ of a results directory"
    + " (of a run, a sweep or a hunt) from its files.")
final class ReportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "Results directory written by run, sweep or"
      + " hunt.")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (!Report.isResultsDir(dir)) {
      throw new InputException(new Diagnostic(dir.toString(), 0, 0, "not a results directory:"
          + " expected manifest.json and summary.csv (a run), sweep.csv (a sweep) or hunt.csv (a"
          + " hunt)"));
    }
    Report.render(dir);
    spec.commandLine().getOut().println("report: " + dir.resolve("index.html"));
    return 0;
  }
}
