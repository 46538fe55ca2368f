package faultsim.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.engine.Engine;
import org.junit.jupiter.api.Test;

/** {@link MachineSpec} and {@link CostProfile}: validation and the socket layout. */
final class MachineSpecTest {

  @Test
  void constructor_badShape_messagesNameTheValues() {
    assertThatThrownBy(() -> MachineSpec.of(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a machine needs at least 1 core, was 0");
    assertThatThrownBy(() -> MachineSpec.of(6).withCores(6, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sockets must be >= 1 and divide the core count; 6 cores, 4 sockets");
    assertThatThrownBy(() -> new MachineSpec(2, 1, null, true, CostProfile.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spinlock kind and cost profile are required");
  }

  @Test
  void costProfile_negative_messageNamesField() {
    assertThatThrownBy(() -> CostProfile.ZERO.withTransfers(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("transfer_same_socket must be >= 0, was -1 ns");
    assertThatThrownBy(() -> CostProfile.ZERO.withWakeup(0, -7))
        .hasMessage("context_switch must be >= 0, was -7 ns");
    assertThatThrownBy(() -> new CostProfile(0, 0, 0, 0, 0, 0, 0, 5))
        .hasMessage("time_slice must be > 0, was 0 ns");
    assertThatThrownBy(() -> new CostProfile(0, 0, 0, 0, 0, 1, 0, -1))
        .hasMessage("folio_lock_unfairness must be >= 0, was -1");
  }

  @Test
  void transferNs_sameCoreSameSocketOtherSocket_localSameCrossCosts() {
    // 4 cores, 2 sockets: cpu0-1 on socket 0, cpu2-3 on socket 1.
    Machine m = new Machine(new Engine(), new MachineSpec(4, 2, SpinlockKind.QUEUED, true,
        new CostProfile(5, 47, 122, 0, 0, 1, 0, 5)));
    assertThat(m.core(1).socket()).isEqualTo(0);
    assertThat(m.core(2).socket()).isEqualTo(1);
    assertThat(m.transferNs(1, 1)).isEqualTo(5);
    assertThat(m.transferNs(0, 1)).isEqualTo(47);
    assertThat(m.transferNs(1, 2)).isEqualTo(122);
  }
}
