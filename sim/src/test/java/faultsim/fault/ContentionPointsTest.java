package faultsim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.lang.SourceText;
import faultsim.locks.LockClass;
import faultsim.stats.LockStatRow;
import faultsim.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** lock_stat's contention points name the design function and line that waited. */
class ContentionPointsTest {
  private static final Pattern SITE = Pattern.compile("^(\\w+)\\+(\\d+) \\((.+):(\\d+)\\)$");

  @Test
  void contentionPointsNameDesignLinesThatExist() throws Exception {
    // Six writers fault under mmap_lock while a seventh mmap()s every 20 us: with
    // mmap_lock_only every fault is a reader of &mm->mmap_lock and waits behind the writer.
    Workload w = Examples.load("faults-under-mmap-writer.yaml", "global.runtime=1ms",
        "replications=1");
    KernelRun run = KernelRuns.run(w, "mmap_lock_only");
    List<SourceText> sources = Designs.load("mmap_lock_only", w).source();

    List<String> sites = new ArrayList<>();
    long contentions = 0;
    for (LockClass c : run.locks().classes()) {
      for (LockStatRow r : LockStatRow.of(c, run.engine().now())) {
        contentions += r.contentions();
        // Every contention has one contention point and one contending point.
        assertThat(r.contentionPoints().values().stream().mapToLong(Long::longValue).sum())
            .isEqualTo(r.contentions());
        assertThat(r.contendingPoints().values().stream().mapToLong(Long::longValue).sum())
            .isEqualTo(r.contentions());
        sites.addAll(r.contentionPoints().keySet());
      }
    }
    assertThat(contentions).isGreaterThan(0);
    for (String site : sites) {
      Matcher m = SITE.matcher(site);
      assertThat(m.matches()).as("site %s", site).isTrue();
      String function = m.group(1);
      int offset = Integer.parseInt(m.group(2));
      String label = m.group(3);
      int line = Integer.parseInt(m.group(4));
      SourceText src = sources.stream()
          .filter(s -> s.design().equals(label) || s.file().equals(label)).findFirst()
          .orElseThrow(() -> new AssertionError("no design source " + label + " for " + site));
      String[] lines = src.text().split("\n", -1);
      assertThat(line).isBetween(1, lines.length);
      // The line holds a call, and the function is defined offset lines above it.
      assertThat(lines[line - 1]).as("%s line %d", label, line).contains("(");
      assertThat(lines[line - 1 - offset]).as("%s line %d", label, line - offset)
          .contains(function);
    }
  }

  @Test
  void aWriterStillQueuedWhenTheRunEndsIsCounted() throws Exception {
    Workload w = Examples.load("faults-under-mmap-writer.yaml", "global.runtime=1ms",
        "replications=1");
    KernelRun run = KernelRuns.run(w, "mmap_lock_only");
    long now = run.engine().now();
    long waiting = 0;
    for (LockClass c : run.locks().classes()) {
      for (LockStatRow r : LockStatRow.of(c, now)) {
        waiting += r.waitingAtEnd();
        // A task waiting at the end has waited a positive time, at most the whole run.
        assertThat(r.waitingAtEndNs()).isBetween(0L, r.waitingAtEnd() * now);
        if (r.waitingAtEnd() > 0) {
          assertThat(r.waitingAtEndNs()).isPositive();
        }
      }
    }
    // Tasks blocked on a lock right now, from the machine's own view of them.
    long blocked = run.machine().tasks().stream().filter(t -> t.waitingFor() != null).count();
    assertThat(waiting).isEqualTo(blocked);
    Map<String, Long> events = run.locks().lockEvents();
    assertThat(events.keySet()).allMatch(k -> k.startsWith("rwsem_"));
  }
}
