package faultsim.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.engine.RandomStreams;
import faultsim.fault.Designs;
import faultsim.fault.KernelRun;
import faultsim.run.Experiment;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * lockdep's rule in the oracle, on two synthetic jobs beside a one-fault kernel job: job a takes
 * mutex L1 then L2, job b takes L2 then L1, each holding the first for 10 us before asking for
 * the second.
 */
public class LockOrderTest {
  /** The kernel job beside the two synthetic ones: one sequential read of the file. */
  private static final String ONE_FAULT = """
        rw: read
        file: data
        loops: 1
        """;

  static String workload(String bDelay) {
    return workload(bDelay, ONE_FAULT);
  }

  /**
   * The two synthetic jobs, b starting {@code bDelay} after a, beside a kernel job named
   * {@code fault} whose settings are {@code faultJob} (YAML, indented by four spaces).
   */
  public static String workload(String bDelay, String faultJob) {
    return """
        machine:
          cores: 4
        locks:
          L1: {kind: mutex, class: "&test->one"}
          L2: {kind: mutex, class: "&test->two"}
        files:
          data:
            size: 64k
        global:
          runtime: 2ms
        jobs:
          fault:
        %s  a:
            loops: 1
            steps:
              - mutex_lock: L1
              - cpu: 10us
              - mutex_lock: L2
              - mutex_unlock: L2
              - mutex_unlock: L1
          b:
            loops: 1
            start_delay: %s
            steps:
              - mutex_lock: L2
              - cpu: 10us
              - mutex_lock: L1
              - mutex_unlock: L1
              - mutex_unlock: L2
        replications: 1
        """.formatted(faultJob.indent(4), bDelay);
  }

  static KernelRun run(String yaml) throws Exception {
    Workload w = new WorkloadLoader().parse("lock-order.yaml", yaml, List.of());
    RandomStreams streams = Experiment.streams(w).forReplication(0);
    return new KernelRun(w, Designs.binding(Designs.load("linux_6_6", w)), streams).run();
  }

  /**
   * b starts 1 ms after a has finished (a needs about 10 us), so nothing ever waits, but the
   * graph has &test->one -> &test->two (from a) and &test->two -> &test->one (from b): one
   * possible circular dependency, reported with both chains; the run goes on to its end.
   */
  @Test
  void oppositeOrders_neverOverlapping_reportCycleWithBothChains() throws Exception {
    KernelRun r = run(workload("1ms"));
    assertThat(r.oracle().counts().get(Violation.LOCK_ORDER)).isEqualTo(1);
    Violation v = r.oracle().shown().get(0);
    assertThat(v.summary()).startsWith("possible circular locking dependency")
        .contains("task b took &test->two-W -> &test->one-W")
        .contains("task a took &test->one-W -> &test->two-W");
    assertThat(r.oracle().deadlocked()).isFalse();
    assertThat(r.engine().halted()).isFalse();
    assertThat(r.engine().now()).isEqualTo(2_000_000);
    assertThat(r.recorders().stream().filter(x -> x.job().equals("b")).findFirst().orElseThrow()
        .operations()).isEqualTo(1);
  }

  /**
   * Both start at 0 on their own cores: a holds L1 and b holds L2 for 10 us, then each sleeps on
   * the other's mutex. When the second of them starts waiting, the oracle finds the cycle of
   * blocked tasks, reports the deadlock (as well as the order cycle) and ends the run there, a
   * little after 10 us and long before its 2 ms.
   */
  @Test
  void oppositeOrders_atOnce_deadlockStopsTheRun() throws Exception {
    KernelRun r = run(workload("0ns"));
    assertThat(r.oracle().deadlocked()).isTrue();
    assertThat(r.engine().halted()).isTrue();
    assertThat(r.engine().now()).isBetween(10_000L, 20_000L);
    assertThat(r.oracle().shown()).anySatisfy(v -> assertThat(v.summary())
        .startsWith("deadlock:")
        .contains("holds &test->one-W and waits for &test->two")
        .contains("holds &test->two-W and waits for &test->one"));
    assertThat(r.oracle().counts().get(Violation.LOCK_ORDER)).isEqualTo(2);
  }

  /**
   * Two mutexes of one class taken in opposite orders at once: lockdep orders nothing within a
   * class (so no order cycle is reported), but the two tasks still block each other for good,
   * which is a deadlock and ends the run.
   */
  @Test
  void sameClassOppositeOrders_atOnce_deadlockWithoutOrderCycle() throws Exception {
    KernelRun r = run(workload("0ns").replace("class: \"&test->two\"",
        "class: \"&test->one\""));
    assertThat(r.oracle().deadlocked()).isTrue();
    assertThat(r.oracle().counts().get(Violation.LOCK_ORDER)).isEqualTo(1);
    assertThat(r.oracle().shown().get(0).summary()).startsWith("deadlock:")
        .contains("task a holds &test->one-W and waits for &test->one")
        .contains("task b holds &test->one-W and waits for &test->one");
  }

  /**
   * Fault-around trylocks folios with the PTL held, and finish_fault takes the PTL with a folio
   * locked: were trylocks edges, PTL -> PG_locked -> PTL would be a cycle. lockdep adds no edge
   * for a trylock, and neither does the oracle: four tasks faulting the same file report none.
   */
  @Test
  void trylockUnderPtl_isNoEdge() throws Exception {
    KernelRun r = run("""
        machine:
          cores: 4
        files:
          data:
            size: 4M
            cached: 0.5
        global:
          runtime: 2ms
        jobs:
          readers:
            numjobs: 4
            rw: randread
            file: data
        replications: 1
        """);
    assertThat(r.kernel().vmEvent("PGFAULT")).isGreaterThan(100);
    assertThat(r.oracle().counts().get(Violation.LOCK_ORDER)).isZero();
  }
}
