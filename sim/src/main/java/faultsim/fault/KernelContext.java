package faultsim.fault;

import faultsim.kernel.Kernel;
import faultsim.machine.Task;
import faultsim.oracle.Oracle;

/**
 * What a design's primitives see of one run: the kernel state, the oracle, the tunables, and the
 * per-task retry counts that the drivers read after each operation.
 */
public final class KernelContext {
  private final Kernel kernel;
  private final Oracle oracle;
  private final KernelSpec spec;
  private final KernelCosts costs;
  private long[] retries = new long[16];

  public KernelContext(Kernel kernel, Oracle oracle, KernelSpec spec) {
    this.kernel = kernel;
    this.oracle = oracle;
    this.spec = spec;
    this.costs = spec.costs();
  }

  /** What the primitives cost ({@code kernel.costs}). */
  public KernelCosts costs() {
    return costs;
  }

  /** The cost {@code c}, in ns. */
  public long cost(KernelCosts.Cost c) {
    return costs.get(c);
  }

  public Kernel kernel() {
    return kernel;
  }

  public Oracle oracle() {
    return oracle;
  }

  public KernelSpec spec() {
    return spec;
  }

  /** {@code fault_around_bytes}. */
  public long faultAroundBytes() {
    return spec.faultAroundBytes();
  }

  /** The design retried the current operation of {@code t} (a fault, a punch's rescan). */
  public void countRetry(Task t) {
    if (t.id() >= retries.length) {
      retries = java.util.Arrays.copyOf(retries, Math.max(t.id() + 1, retries.length * 2));
    }
    retries[t.id()]++;
  }

  /** Retries of {@code t}'s current operation so far; zeroes the count. */
  public long takeRetries(Task t) {
    if (t.id() >= retries.length) {
      return 0;
    }
    long r = retries[t.id()];
    retries[t.id()] = 0;
    return r;
  }
}
