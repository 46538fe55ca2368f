package faultsim.bench;

import faultsim.fault.Designs;
import faultsim.fault.KernelRun;
import faultsim.kernel.AddressSpace;
import faultsim.kernel.MmStruct;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Heap used by a 1 TiB file after random read faults touch a given number of faults' worth of
 * pages (fault-around maps 16 per fault), all of it cached at the start so that touched pages
 * are created on demand. Prints pages materialised, PTE pages, and the heap in use after a full
 * collection, with the run still reachable.
 *
 * <pre>{@code
 * java -Xmx1g -XX:+UseParallelGC -cp sim/target/benchmarks.jar faultsim.bench.SparseFileFootprint 200000
 * }</pre>
 */
public final class SparseFileFootprint {
  private SparseFileFootprint() {}

  public static void main(String[] args) throws Exception {
    long faults = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
    String yaml = """
        machine:
          cores: 1
        files:
          big:
            size: 1T
        global:
          runtime: 100s
        jobs:
          reader:
            rw: randread
            file: big
            loops: %d
        designs: [linux_6_6]
        replications: 1
        """.formatted(faults);
    Workload w = new WorkloadLoader().parse("footprint.yaml", yaml, List.of());
    long before = usedAfterGc();
    KernelRun run = new KernelRun(w, Designs.binding(Designs.load("linux_6_6", w)),
        faultsim.run.Experiment.streams(w).forReplication(0)).run();
    long after = usedAfterGc();
    AddressSpace f = run.kernel().file("big");
    MmStruct mm = run.kernel().mms().get(0);
    System.out.printf(Locale.ROOT, "faults %d, pages materialised %d, PTE pages %d,"
        + " heap %.1f MiB (%.0f bytes per page), max heap %.0f MiB%n",
        run.kernel().vmEvent("PGFAULT"), f.materialisedEntries(), mm.pteTables(),
        (after - before) / 1048576.0, (double) (after - before) / f.materialisedEntries(),
        Runtime.getRuntime().maxMemory() / 1048576.0);
    if (run.kernel().vmEvent("PGFAULT") < 0) {
      System.out.println(run);
    }
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
