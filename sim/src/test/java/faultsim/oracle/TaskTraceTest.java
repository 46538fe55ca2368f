package faultsim.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TaskTraceTest {
  @Test
  void timeArgumentsCarryTheirUnit() {
    // cpu(5000) read as 5000 of what; the argument is nanoseconds, shown as a time.
    TaskTrace t = new TaskTrace("punch");
    t.primitive(10, "cpu", new Object[] {5000L});
    t.primitive(20, "schedule_timeout", new Object[] {1_500L});
    t.primitive(30, "pte_none", new Object[] {5000L});
    assertThat(t.steps(0, 100)).extracting(TaskTrace.Step::text)
        .containsExactly("cpu(5us)", "schedule_timeout(1500ns)", "pte_none(5000)");
  }
}
