package faultsim.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final Schedule S = new Schedule("../workloads/x.yaml", "ab12",
      List.of("global.runtime=100us", "machine.cores=2"), "linux_3_15", 7, "pct", "stale_data", 3,
      List.of(new Point("reader/0", 411, "folio_try_get", 3061),
          new Point("punch", 9, "down_write", 12)));

  @Test
  void writesThePlainTextLayout() {
    // Golden text: one key per line, the sets in order, then the count and one
    // "task ordinal primitive delay_ns" line per delay.
    assertEquals("""
        # faultsim schedule: ./faultsim replay FILE runs it again
        workload ../workloads/x.yaml
        workload_sha256 ab12
        set global.runtime=100us
        set machine.cores=2
        design linux_3_15
        seed 7
        strategy pct
        kind stale_data
        replication 3
        perturbations 2
        reader/0 411 folio_try_get 3061
        punch 9 down_write 12
        """, S.text());
  }

  @Test
  void readsBackWhatItWrites() throws Exception {
    assertEquals(S, Schedule.parse("s", S.text()));
  }

  @Test
  void namesTheLineAndColumnOfABadDelay() {
    // Line 13 is the second perturbation; its delay "12x" starts at column 20.
    String bad = S.text().replace("punch 9 down_write 12", "punch 9 down_write 12x");
    InputException e = assertThrows(InputException.class, () -> Schedule.parse("f.schedule",
        bad));
    Diagnostic d = e.diagnostics().get(0);
    assertEquals(List.of("f.schedule", 13, 20), List.of(d.file(), d.line(), d.column()));
  }

  @Test
  void countsThePerturbationLines() {
    // 'perturbations 2' with one line: the error is at the end of the file (line 13, the
    // empty line after the last newline).
    String bad = S.text().replace("punch 9 down_write 12\n", "");
    InputException e = assertThrows(InputException.class, () -> Schedule.parse("f", bad));
    assertEquals(13, e.diagnostics().get(0).line());
    assertEquals("expected 2 perturbation lines, found 1", e.diagnostics().get(0).message());
  }

  @Test
  void rejectsAnUnknownKey() {
    InputException e = assertThrows(InputException.class, () -> Schedule.parse("f",
        "workload a\nsped 3\n"));
    assertEquals(List.of(2, 1), List.of(e.diagnostics().get(0).line(),
        e.diagnostics().get(0).column()));
  }
}
