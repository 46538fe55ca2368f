package faultsim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code machine.profile}: a profile's costs fill in what the workload leaves out; the workload's
 * own costs and {@code --set} win over it; a bad value in the profile is reported at the
 * profile's line and column.
 */
final class CostProfilesTest {
  @TempDir Path dir;

  private Workload load(String profile, String machineExtra, String... sets) throws Exception {
    Files.writeString(dir.resolve("p.yaml"), profile);
    Path w = dir.resolve("w.yaml");
    Files.writeString(w, "machine:\n  cores: 2\n  profile: p.yaml\n" + machineExtra
        + "global:\n  runtime: 1ms\njobs:\n  f:\n    rw: write\n    mapping: anon\n"
        + "    size: 64k\n");
    return new WorkloadLoader().load(w, List.of(sets));
  }

  @Test
  void profileCosts_applyWhereNothingElseGivesThem() throws Exception {
    String p = "# faultsim calibrate\nmachine:\n  costs:\n    transfer_same_socket: 80ns\n"
        + "    atomic_local: 7ns\n    wakeup: 3us\n";
    var costs = load(p, "  costs:\n    atomic_local: 6ns\n", "machine.costs.wakeup=4us")
        .spec().machine().costs();
    assertThat(costs.transferSameSocketNs()).isEqualTo(80);
    assertThat(costs.atomicLocalNs()).as("the workload's own value wins").isEqualTo(6);
    assertThat(costs.wakeupNs()).as("--set wins").isEqualTo(4000);
    assertThat(costs.transferCrossSocketNs()).as("the default").isEqualTo(122);
  }

  @Test
  void profileKernelCosts_applyWhereNothingElseGivesThem() throws Exception {
    // The profile gives two kernel costs and a machine one; the workload's own kernel.costs
    // and --set win over it as for machine costs; the rest keep their defaults.
    Files.writeString(dir.resolve("p.yaml"), "machine:\n  costs:\n    memory_fetch: 90ns\n"
        + "kernel:\n  costs:\n    fault_entry: 300ns\n    set_pte: 55ns\n");
    Path w = dir.resolve("w.yaml");
    Files.writeString(w, "machine:\n  profile: p.yaml\nkernel:\n  costs:\n"
        + "    set_pte: 45ns\nglobal:\n  runtime: 1ms\njobs:\n  f:\n    rw: write\n"
        + "    mapping: anon\n    size: 64k\n");
    Workload wl = new WorkloadLoader().load(w, List.of("kernel.costs.clear_page=200ns"));
    var k = wl.kernel().costs();
    assertThat(k.get(faultsim.fault.KernelCosts.Cost.FAULT_ENTRY)).isEqualTo(300);
    assertThat(k.get(faultsim.fault.KernelCosts.Cost.SET_PTE)).as("the workload's own value wins")
        .isEqualTo(45);
    assertThat(k.get(faultsim.fault.KernelCosts.Cost.CLEAR_PAGE)).as("--set wins").isEqualTo(200);
    assertThat(k.get(faultsim.fault.KernelCosts.Cost.FIND_VMA)).as("the default").isEqualTo(40);
    assertThat(wl.spec().machine().costs().memoryFetchNs()).isEqualTo(90);
    // An unknown kernel cost in the profile, at its line and column (line 3, column 5).
    Files.writeString(dir.resolve("p.yaml"), "kernel:\n  costs:\n    fault_entri: 3ns\n");
    assertThatThrownBy(() -> new WorkloadLoader().load(w, List.of()))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("p.yaml:3:5: unknown cost 'fault_entri'")
        .hasMessageContaining("did you mean 'fault_entry'");
  }

  @Test
  void aBadProfile_isReportedInTheProfile() {
    // "    transfer_same_socket: fast": the key at line 3, column 5.
    assertThatThrownBy(() -> load("machine:\n  costs:\n    transfer_same_socket: fast\n", ""))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("p.yaml:3:5: machine.costs.transfer_same_socket: expected a"
            + " time");
    assertThatThrownBy(() -> load("machine:\n  cores: 8\n  costs:\n    wakeup: 1us\n", ""))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("p.yaml:2:3: a cost profile holds only machine.costs; found"
            + " 'cores'");
    assertThatThrownBy(() -> load("jobs: {}\n", ""))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("p.yaml:1:1: a cost profile holds machine: {costs: {...}}");
  }

  @Test
  void aMissingProfile_namesTheWorkloadKey() throws Exception {
    Path w = dir.resolve("w.yaml");
    Files.writeString(w, "machine:\n  profile: nope.yaml\nglobal:\n  runtime: 1ms\njobs:\n"
        + "  f:\n    rw: write\n    mapping: anon\n    size: 64k\n");
    // "  profile: nope.yaml": the key at line 2, column 3.
    assertThatThrownBy(() -> new WorkloadLoader().load(w, List.of()))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("w.yaml:2:3: machine.profile: no file ");
  }
}
