package faultsim.cli;

import faultsim.calibrate.Calibration;
import faultsim.calibrate.Measurements;
import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import faultsim.workload.Units;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code faultsim calibrate}: fits cost profile parameters to measured throughputs (and
 * lock_stat captures), and writes them as a profile workloads can name with
 * {@code machine: {profile: FILE}}.
 */
@Command(name = "calibrate", description = "Fit machine and kernel costs to measured"
    + " throughputs (and /proc/lock_stat captures) and write them as a cost profile"
    + " (machine.profile).")
final class CalibrateCommand implements Callable<Integer> {
  /** The first line of every profile calibrate writes; only such a file is replaced. */
  static final String HEADER = "# faultsim calibrate";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "WORKLOAD", description = "The workload the measurements were made"
      + " with; each measured point's columns override its keys.")
  Path workload;

  @Option(names = "--measured", required = true, paramLabel = "CSV", description = "Measured"
      + " points: workload keys, throughput (ops/s of the job), optional lock_stat capture.")
  Path measured;

  @Option(names = "--fit", paramLabel = "KEY", description = "A cost to fit (repeatable;"
      + " default machine.costs.transfer_same_socket): machine.costs.atomic_local,"
      + " transfer_same_socket, transfer_cross_socket, memory_fetch, wakeup or context_switch,"
      + " or any kernel.costs.<name> (faultsim options lists them).")
  List<String> fit = new ArrayList<>();

  @Option(names = "--design", paramLabel = "D", description = "The design simulated (default:"
      + " the workload's first).")
  String design;

  @Option(names = "--job", paramLabel = "J", description = "The job whose throughput was"
      + " measured (default: the workload's first).")
  String job;

  @Option(names = "--replications", paramLabel = "N", description = "Replications per point"
      + " per evaluation (default 2).")
  int replications = 2;

  @Option(names = "--threads", paramLabel = "N", description = "Simulations at once (default:"
      + " all processors).")
  Integer threads;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The profile to"
      + " write (YAML); an existing file is replaced only if calibrate wrote it.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (replications < 1) {
      throw new InputException(new Diagnostic("--replications " + replications, 0, 0,
          "expected at least 1"));
    }
    checkOut();
    List<Measurements.Point> points = Measurements.read(measured);
    List<String> keys = fit.isEmpty() ? List.of("machine.costs.transfer_same_socket") : fit;
    Calibration c = new Calibration(workload, design, job, points, keys, replications,
        Main.threads(threads));
    Calibration.Result r = c.fit();
    PrintWriter o = spec.commandLine().getOut();
    o.print(table(r));
    write(r);
    o.println("profile: " + out);
    return 0;
  }

  private void checkOut() throws InputException, IOException {
    if (Files.isDirectory(out)) {
      throw new InputException(new Diagnostic("--out " + out, 0, 0,
          "is a directory; expected a profile file to write"));
    }
    if (Files.exists(out)) {
      List<String> first = Files.readAllLines(out, StandardCharsets.UTF_8);
      if (first.isEmpty() || !first.get(0).startsWith(HEADER)) {
        throw new InputException(new Diagnostic("--out " + out, 0, 0, "exists and was not"
            + " written by faultsim calibrate; choose another name or move it"));
      }
    }
  }

  /** The fit, as printed: parameters, then every point measured, before and after. */
  static String table(Calibration.Result r) {
    StringBuilder sb = new StringBuilder();
    for (Calibration.Fitted f : r.parameters()) {
      sb.append(String.format(Locale.ROOT, "%s: %s -> %s%n", f.key(),
          Units.formatTime(f.startNs()), Units.formatTime(f.fittedNs())));
    }
    int w = "point".length();
    for (Calibration.Reproduced p : r.points()) {
      w = Math.max(w, p.point().label().length());
    }
    sb.append(String.format(Locale.ROOT, "%-" + w + "s  %12s  %12s  %12s  %9s%n", "point",
        "measured", "before fit", "after fit", "after/meas"));
    for (Calibration.Reproduced p : r.points()) {
      sb.append(String.format(Locale.ROOT, "%-" + w + "s  %12.0f  %12.0f  %12.0f  %9.3f%n",
          p.point().label(), p.point().throughput(), p.before(), p.after(), p.ratio()));
    }
    sb.append(String.format(Locale.ROOT, "error (mean squared log ratio): %.5f before, %.5f"
        + " after, %d evaluations%n", r.errorBefore(), r.errorAfter(), r.evaluations()));
    return sb.toString();
  }

  private void write(Calibration.Result r) throws IOException {
    StringBuilder y = new StringBuilder(HEADER).append(": fitted to ").append(measured)
        .append(" (").append(r.points().size()).append(" points) with ").append(workload)
        .append('\n');
    for (String line : table(r).split("\n")) {
      y.append("# ").append(line).append('\n');
    }
    for (String section : List.of("machine", "kernel")) {
      String prefix = section + ".costs.";
      boolean any = false;
      for (Calibration.Fitted f : r.parameters()) {
        if (!f.key().startsWith(prefix)) {
          continue;
        }
        if (!any) {
          y.append(section).append(":\n  costs:\n");
          any = true;
        }
        y.append("    ").append(f.key().substring(prefix.length())).append(": ")
            .append(f.fittedNs()).append("ns\n");
      }
    }
    Path abs = out.toAbsolutePath();
    Path tmp = abs.resolveSibling("." + abs.getFileName() + ".partial");
    Files.writeString(tmp, y.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
