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

  @Test
  void tracesSharingTheirCallPaths_eachStepKeepsItsOwnTasksStack() {
    // Two tasks record into one tree of call paths; a's steps were taken inside
    // filemap_fault > filemap_map_pages, b's inside filemap_fault > do_read_fault, and b's
    // second step after it returned to filemap_fault. The stacks are those the task was in.
    TaskTrace.Frame paths = new TaskTrace.Frame(null, null);
    TaskTrace a = new TaskTrace("a", paths);
    TaskTrace b = new TaskTrace("b", paths);
    a.enter(1, "filemap_fault");
    b.enter(2, "filemap_fault");
    a.enter(3, "filemap_map_pages");
    b.enter(4, "do_read_fault");
    a.primitive(5, "xas_load", new Object[0]);
    b.primitive(6, "folio_trylock", new Object[0]);
    b.exit();
    b.primitive(7, "folio_unlock", new Object[0]);
    assertThat(a.steps(5, 5)).extracting(TaskTrace.Step::stack)
        .containsExactly("filemap_fault > filemap_map_pages");
    assertThat(b.steps(6, 7)).extracting(TaskTrace.Step::stack)
        .containsExactly("filemap_fault > do_read_fault", "filemap_fault");
    assertThat(b.steps(0, 10)).extracting(TaskTrace.Step::text)
        .containsExactly("filemap_fault", "  do_read_fault", "    folio_trylock()",
            "  folio_unlock()");
  }
}
