package faultsim.report;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.results.ResultsWriter;
import faultsim.run.Experiment;
import faultsim.run.ReplicationResult;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "why" line under the verdict, on a short run of faults-under-mmap-writer with the per-VMA
 * lock design and the mmap_lock-only one: every number it quotes is the one the results files
 * hold (summary.csv's rwsem counters, locks.csv's writer row, the folded stacks' wait frame),
 * and it links to the flame graph and lock table it comes from.
 */
final class WhyTest {
  @Test
  void why_ofTheSlowDesign_quotesItsCountersWaitsAndFlameGraph(@TempDir Path dir)
      throws Exception {
    Workload w = new WorkloadLoader().load(
        Path.of("..", "workloads", "faults-under-mmap-writer.yaml"),
        List.of("global.runtime=1ms", "replications=2", "designs=[linux_6_6,mmap_lock_only]"));
    List<ReplicationResult> runs = Experiment.run(w, 1, null);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("started", "2026-01-01T00:00:00Z");
    ResultsWriter.write(dir, w, runs, info);
    Report.render(dir);

    ResultsData data = ResultsData.read(dir);
    Verdict v = Verdict.of(data, SummaryTable.of(data), Violations.parse(data.violations));
    // Both are safe; the fastest gets no line, the other one does.
    assertThat(v.safe()).extracting(Verdict.Ranked::design)
        .containsExactly("linux_6_6", "mmap_lock_only");
    assertThat(v.why()).extracting(Why::design).containsExactly("mmap_lock_only");
    String text = v.why().get(0).text();

    // The three rwsem counters, as summary.csv sums them over the replications.
    for (String c : Why.RWSEM_EVENTS) {
      long sum = 0;
      for (String line : Files.readAllLines(dir.resolve("summary.csv"))) {
        String[] f = line.split(",");
        if (f[0].equals("mmap_lock_only") && f[1].equals("vmstat") && f[2].equals(c)) {
          sum = Math.round(Double.parseDouble(f[3]) * Integer.parseInt(f[6]));
        }
      }
      assertThat(text).contains(String.format(Locale.ROOT, "%s %,d", c, sum));
    }
    assertThat(text).contains("rwsem_rlock_steal").doesNotContain("rwsem_rlock_steal 0,");

    // The writers' wait on &mm->mmap_lock: lock_stat's contentions and waittime-max.
    for (String line : Files.readAllLines(dir.resolve("locks.csv"))) {
      String[] f = line.split(",");
      if (f[0].equals("mmap_lock_only") && f[1].equals("&mm->mmap_lock") && f[2].equals("W")) {
        assertThat(text).contains(String.format(Locale.ROOT, "writers waited %,d times",
            Long.parseLong(f[4])));
        assertThat(text).contains("(longest " + Fmt.time(Long.parseLong(f[6])) + "), "
            + f[16] + " waiting at the end");
      }
    }

    // The fault tasks' share of time in [wait &mm->mmap_lock], from the folded stacks.
    long wait = 0;
    long all = 0;
    for (String line : Files.readAllLines(dir.resolve("stacks/mmap_lock_only.folded"))) {
      int sp = line.lastIndexOf(' ');
      long ns = Long.parseLong(line.substring(sp + 1));
      String stack = line.substring(0, sp);
      if (stack.startsWith("fault;")) {
        all += ns;
        if (stack.endsWith(";[wait &mm->mmap_lock]")) {
          wait += ns;
        }
      }
    }
    assertThat(wait).isPositive();
    assertThat(text).startsWith("fault tasks spent "
        + Fmt.percent((double) wait / all).replace("+", "") + " of their time in [wait"
        + " &mm->mmap_lock] (linux_6_6: ");

    // On the page: the line under the verdict, linking to the flame graph and the lock table.
    String html = Files.readString(dir.resolve("index.html"));
    int verdict = html.indexOf("<section id=\"verdict\">");
    int why = html.indexOf("<ul class=\"why\">");
    assertThat(why).isGreaterThan(verdict).isLessThan(html.indexOf("</section>", verdict));
    assertThat(html).contains("<a href=\"#flame-mmap-lock-only\">flame graph</a>",
        "<a href=\"#lock-stat-mmap-lock-only\">", "<figure id=\"flame-mmap-lock-only\">",
        "<h3 id=\"lock-stat-mmap-lock-only\">");
  }
}
