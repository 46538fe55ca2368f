package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.workload.InputException;
import faultsim.workload.WorkloadLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code kernel.costs.<name>}: a kernel cost set in the workload is what the primitive charges,
 * and a bad one is reported at its key.
 */
final class KernelCostSettingsTest {
  /** One thread, one anonymous write fault. */
  static final String ONE_FAULT = """
      machine:
        cores: 1
      kernel:
        costs:
          fault_entry: 250ns
          vm_event: 3ns
      global:
        runtime: 100us
      jobs:
        a:
          rw: write
          mapping: anon
          size: 4k
          loops: 1
      """;

  @Test
  void settingsReplaceTheDefaults_theFaultPaysThem() throws Exception {
    // fault_entry() is the first primitive, at 0; with 250 ns instead of 150, PGFAULT's count
    // comes at 250 and costs 3 ns instead of 1, so the VMA lookup starts at 253.
    TracedRuns.Traced r = TracedRuns.run(ONE_FAULT, "linux_6_6");

    assertThat(r.log()).containsSubsequence(
        "0 a fault_entry()",
        "250 a count_vm_event(0)",
        "253 a find_vma(main, 0x7f0000000000)");
    assertThat(KernelRuns.workload(ONE_FAULT).kernel().costs()
        .get(KernelCosts.Cost.FIND_VMA)).as("a cost not set keeps its default").isEqualTo(40);
  }

  @Test
  void aBadCost_isReportedAtItsKey() {
    // "    fault_entry: fast": the key at line 5, column 5.
    assertThatThrownBy(() -> new WorkloadLoader().parse("w.yaml",
        ONE_FAULT.replace("fault_entry: 250ns", "fault_entry: fast"), List.of()))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("w.yaml:5:5: kernel.costs.fault_entry: expected a time");
    assertThatThrownBy(() -> new WorkloadLoader().parse("w.yaml", ONE_FAULT, List.of(
        "kernel.costs.set_ptes=30ns")))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("kernel.costs: unknown cost 'set_ptes'")
        .hasMessageContaining("did you mean 'set_pte'");
  }
}
