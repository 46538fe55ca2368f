package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.run.Experiment;
import faultsim.workload.Workload;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Speculation never changes a result: over random fault workloads (cores, readers and writers,
 * private or overlapping regions, sequential or random, a truncating task or not, the window)
 * and the seed designs, a replication run with tasks ahead of the clock, whether it kept its
 * speculation to the end or had to run again, encodes to the same bytes as the run that fires
 * every step as an event, in the same intrinsic order.
 */
final class SpeculationProperties {
  private static final String[] DESIGNS = {"linux_6_6", "linux_3_15", "fa_lock_all",
      "ext4_punch_i_mmap_sem", "mapping_range_lock"};

  @Property(tries = 40)
  @StatisticsReport(onFailureOnly = true)
  void speculatedRunEqualsPlainRun(@ForAll @IntRange(min = 1, max = 8) int cores,
      @ForAll @IntRange(min = 1, max = 6) int readers, @ForAll boolean privateRegions,
      @ForAll boolean random, @ForAll boolean write, @ForAll boolean punch,
      @ForAll @IntRange(min = 0, max = 4) int designIndex,
      @ForAll @IntRange(min = 1, max = 50) int windowUs,
      @ForAll @IntRange(min = 0, max = 1000) int seed) throws Exception {
    String design = DESIGNS[designIndex];
    String yaml = """
        machine:
          cores: %d
        files:
          data:
            size: 16M
        global:
          runtime: 150us
          randseed: %d
        jobs:
          reader:
            numjobs: %d
            rw: %s
            file: data
            size: 1M
            offset_increment: %dM
        %s
        designs: [%s]
        replications: 1
        """.formatted(cores, seed, readers, (random ? "rand" : "") + (write ? "write" : "read"),
        privateRegions ? 1 : 0, punch ? """
          puncher:
            op: punch_hole
            file: data
            offset: 256k
            size: 512k
            thinktime: 20us
        """ : "", design);
    Workload w = KernelRuns.workload(yaml);
    byte[] plain = SpeculationTest.result(w, design, KernelRun.INTRINSIC_ORDER_PROPERTY, "true");
    long fallbacks = Experiment.SPECULATION_FALLBACKS.get();
    byte[] ahead = SpeculationTest.result(w, design, KernelRun.SPECULATE_PROPERTY,
        Long.toString(windowUs * 1000L));
    boolean ranAgain = Experiment.SPECULATION_FALLBACKS.get() > fallbacks;
    Statistics.collect(ranAgain ? "ran again" : "kept its speculation");
    assertThat(ahead).isEqualTo(plain);
    // Both endings are exercised: runs that keep their speculation to the end (measured:
    // about half of these workloads) and runs with a conflict, run again.
    Statistics.coverage(c -> {
      c.check("kept its speculation").percentage(p -> p >= 10);
      c.check("ran again").percentage(p -> p >= 10);
    });
  }
}
