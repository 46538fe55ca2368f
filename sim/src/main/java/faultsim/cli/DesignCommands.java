package faultsim.cli;

import faultsim.fault.Designs;
import faultsim.lang.BuiltinDesign;
import faultsim.lang.CompiledDesign;
import faultsim.lang.DesignLibrary;
import faultsim.report.LockOrderFile;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code faultsim designs} and {@code faultsim explain}. */
final class DesignCommands {
  private DesignCommands() {}

  @Command(name = "designs", description = "List the built-in designs, one line each.")
  static final class List_ implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      List<BuiltinDesign> all = DesignLibrary.builtins();
      int width = all.stream().mapToInt(d -> d.name().length()).max().orElse(10);
      for (BuiltinDesign d : all) {
        spec.commandLine().getOut().printf(Locale.ROOT, "%-" + width + "s  %s%n", d.name(),
            d.description());
      }
      return 0;
    }
  }

  @Command(name = "explain", description = "Print a design's program after extends, marking"
      + " what it overrides, and the lock order it implies.")
  static final class Explain implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DESIGN", description = "A built-in design's name or a design"
        + " file.")
    String design;

    @CommandLine.Option(names = "--from-run", paramLabel = "DIR", description = "Also show the"
        + " lock order the design's runs took in the results directory DIR (lock_order.csv),"
        + " and how it differs from the implied one.")
    java.nio.file.Path fromRun;

    @Override
    public Integer call() throws Exception {
      CompiledDesign d = Designs.load(design, null);
      if (fromRun == null) {
        spec.commandLine().getOut().print(d.explain());
        return 0;
      }
      LockOrderFile observed = LockOrderFile.read(fromRun, d.name());
      spec.commandLine().getOut().print(d.explain(observed.pairs(), observed.replications(),
          fromRun.toString()));
      return 0;
    }
  }
}
