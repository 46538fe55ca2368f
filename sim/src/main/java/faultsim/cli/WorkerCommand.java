package faultsim.cli;

import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code faultsim worker}: a member of a cluster that runs the simulations sweeps and hunts hand
 * out with {@code sweep --cluster} and {@code hunt --cluster}. The cluster code lives in
 * {@code faultsim.cluster} and is loaded only when a worker starts, never by the other commands.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, description = "Join a cluster of faultsim workers and run the"
    + " simulations that sweeps and hunts started with --cluster hand out, until stopped"
    + " (Ctrl-C).")
public final class WorkerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--join", paramLabel = "HOST:PORT", split = ",",
      description = "Other workers to join (comma-separated or repeated; default: none, start a"
          + " cluster of one).")
  List<String> join = new ArrayList<>();

  @Option(names = "--port", paramLabel = "P", description = "Port to listen on (default 5701).")
  int port = 5701;

  @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default:"
      + " the first --join address that is this machine's, else 127.0.0.1).")
  String bind;

  @Option(names = "--cluster-name", paramLabel = "N", description = "Cluster to join; a sweep"
      + " or hunt uses faultsim-<first 12 hex digits of sha256sum of its workload file> unless"
      + " given --cluster-name (default faultsim).")
  String clusterName = "faultsim";

  @Option(names = "--threads", paramLabel = "N",
      description = "Simulations run at once (default: available processors).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    int n = Main.threads(threads);
    if (port < 1 || port > 65535) {
      throw new InputException(new Diagnostic("--port " + port, 0, 0,
          "expected a port from 1 to 65535"));
    }
    for (String hp : join) {
      checkHostPort("--join", hp);
    }
    return faultsim.cluster.Worker.serve(clusterName, bind, port, join, n,
        spec.commandLine().getOut());
  }

  /** Rejects anything but {@code host:port} with a port from 1 to 65535. */
  static void checkHostPort(String option, String hp) throws InputException {
    int colon = hp.lastIndexOf(':');
    boolean ok = colon > 0 && colon < hp.length() - 1;
    if (ok) {
      try {
        int p = Integer.parseInt(hp.substring(colon + 1));
        ok = p >= 1 && p <= 65535;
      } catch (NumberFormatException e) {
        ok = false;
      }
    }
    if (!ok) {
      throw new InputException(new Diagnostic(option + " " + hp, 0, 0,
          "expected host:port, e.g. 10.0.0.5:5701"));
    }
  }
}
