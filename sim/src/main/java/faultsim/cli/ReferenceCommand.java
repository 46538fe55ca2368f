package faultsim.cli;

import faultsim.fault.KernelHost;
import faultsim.lang.Reference;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code faultsim reference}: everything a design can name, from the checker's tables. */
@Command(name = "reference", description = "Print every type, field, primitive (signature,"
    + " cost, lock needed, whether it may sleep, kernel source) and constant a design can use.")
final class ReferenceCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(Reference.render(KernelHost.create()));
    return 0;
  }
}
