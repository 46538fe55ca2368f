package faultsim.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.run.Experiment;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * fio's {@code rate} on a synthetic job: one task, operations of exactly 10 us of CPU, 1 ms
 * measured, no ramp.
 */
class RateTest {
  /**
   * At 10/ms the period is 100 us: operations start at 0, 100, ..., 900 us and each ends 10 us
   * later, so 10 complete in the millisecond. At 50/ms (20 us) it is 50. At 1/us the period
   * (1 us) is shorter than an operation, so each starts as the last ends: 1 ms / 10 us = 100,
   * the last ending at exactly 1 ms, which the run includes (events at its end time fire).
   * Without a rate, also 100. (The task is on its core at 0: an idle core takes a new task with
   * no context switch.)
   */
  @ParameterizedTest
  @CsvSource({"10/ms, 10", "50/ms, 50", "1/us, 100", ", 100"})
  void operationsPerMillisecond(String rate, long expected) throws Exception {
    String yaml = """
        machine:
          cores: 1
        global:
          runtime: 1ms
        jobs:
          w:
        %s    steps:
              - cpu: 10us
        """.formatted(rate == null ? "" : "    rate: " + rate + "\n");
    Workload w = new WorkloadLoader().parse("rate.yaml", yaml, List.of());
    SyntheticRun run = new SyntheticRun(w.spec(), Experiment.streams(w).forReplication(0)).run();
    assertThat(run.recorder("w").operations()).isEqualTo(expected);
  }
}
