package faultsim.fault;

import faultsim.workload.InputException;
import faultsim.workload.Workload;
import java.util.LinkedHashMap;
import java.util.Map;

/** Compiles a workload's designs once, before its runs, into bindings for {@link KernelRun}. */
public final class Designs {
  private Designs() {}

  /** A binding per design name; empty for a synthetic-only workload. */
  public static Map<String, KernelRun.Binding> bindings(Workload w) throws InputException {
    Map<String, KernelRun.Binding> out = new LinkedHashMap<>();
    if (!w.hasKernelJobs()) {
      return out;
    }
    throw new InputException(new faultsim.workload.Diagnostic(w.file(), 1, 1,
        "kernel designs are not available in this build"));
  }
}
