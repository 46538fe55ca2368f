package faultsim.machine;

import static faultsim.machine.Scenario.cpu;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.engine.Dist;
import faultsim.engine.RandomStreams;
import java.util.List;
import org.junit.jupiter.api.Test;
import umontreal.ssj.rng.RandomStream;

/** {@link Device}: queue depth, FIFO service, I/O wait accounting. */
final class DeviceTest {
  private static RandomStream stream() {
    return RandomStreams.create(1, List.of("device/nvme0n1")).forReplication(0)
        .stream("device/nvme0n1");
  }

  private static Device device(Scenario s, int queueDepth) {
    return new Device(s.machine(), "nvme0n1", queueDepth, Dist.constant(10_000),
        Dist.constant(30_000), stream());
  }

  @Test
  void submitAndWait_queueDepthOne_secondIoWaitsForFirst() {
    // Reads take 10 us; queue depth 1. A and B submit at 0: A's read is in service 0..10 us,
    // B's waits in the queue and is served 10..20 us. With zero wake-up cost each task goes on
    // when its request completes: A at 10 us, B at 20 us. B spends 20 us in I/O wait.
    Scenario s = new Scenario(Scenario.zeroCost(2, true));
    Device d = device(s, 1);
    s.spawn("A", 0, t -> d.submitAndWait(t, false), s.mark("A done"));
    Task b = s.spawn("B", 0, t -> d.submitAndWait(t, false), s.observe("queued", d::queued),
        s.mark("B done"));
    s.spawn("probe", 5_000, s.observe("in flight at 5 us", d::inFlight),
        s.observe("queued at 5 us", d::queued));

    s.run();

    assertThat(s.time("A done")).isEqualTo(10_000);
    assertThat(s.time("B done")).isEqualTo(20_000);
    assertThat(s.value("in flight at 5 us")).isEqualTo(1);
    assertThat(s.value("queued at 5 us")).isEqualTo(1);
    assertThat(b.timeInStateNs(Task.State.IO)).isEqualTo(20_000);
    assertThat(d.completed()).isEqualTo(2);
  }

  @Test
  void submitAndWait_queueDepthTwo_bothIosInServiceTogether() {
    // Depth 2: both reads are served 0..10 us; both tasks go on at 10 us.
    Scenario s = new Scenario(Scenario.zeroCost(2, true));
    Device d = device(s, 2);
    s.spawn("A", 0, t -> d.submitAndWait(t, false), s.mark("A done"));
    s.spawn("B", 0, t -> d.submitAndWait(t, false), s.mark("B done"));

    s.run();

    assertThat(s.time("A done")).isEqualTo(10_000);
    assertThat(s.time("B done")).isEqualTo(10_000);
  }

  @Test
  void submitAndWait_writeThenRead_eachUsesItsLatencyInFifoOrder() {
    // Depth 1: A's write (30 us) is served 0..30 us, then B's read (10 us) 30..40 us; the I/O
    // frees the core, so C computes 0..5 us on a single core meanwhile. A wake-up latency of
    // 2 us delays each task: A goes on at 32 us, B at 42 us.
    Scenario s = new Scenario(new MachineSpec(1, 1, SpinlockKind.QUEUED, true,
        Scenario.zeroExceptWakeup(2_000)));
    Device d = device(s, 1);
    s.spawn("A", 0, t -> d.submitAndWait(t, true), s.mark("A done"));
    s.spawn("B", 0, t -> d.submitAndWait(t, false), s.mark("B done"));
    s.spawn("C", 0, cpu(5_000), s.mark("C done"));

    s.run();

    assertThat(s.time("A done")).isEqualTo(32_000);
    assertThat(s.time("B done")).isEqualTo(42_000);
    assertThat(s.time("C done")).isEqualTo(5_000);
  }

  @Test
  void constructor_queueDepthZero_messageNamesDevice() {
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    assertThatThrownBy(() -> device(s, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("device nvme0n1: queue depth must be >= 1, was 0");
  }
}
