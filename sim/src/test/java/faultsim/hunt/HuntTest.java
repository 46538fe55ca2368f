package faultsim.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import faultsim.fault.Designs;
import faultsim.lang.CompiledDesign;
import faultsim.oracle.Violation;
import faultsim.run.LocalRunPool;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hunting on the seed 000 workload (ext4 hole punch against read faults), shortened to 100 us of
 * simulated time: about two punches, and replication 0 run plainly shows no violation in any
 * design (at 100 us, 11 of 60 plain replications of linux_3_15 show the race). Schedule s runs
 * replication s's arrivals with its delays on top, so a hunt sees at least what plain
 * replications see; shrinking may then leave no delay at all, when the schedule's arrivals show
 * the race on their own.
 */
class HuntTest {
  static final Path EXT4 = Path.of("..", "workloads", "ext4-punch-vs-faults.yaml");
  static final List<String> SHORT = List.of("global.runtime=100us");

  static Hunt.DesignResult hunt(String design, int schedules, int threads, Hunt.Strategy s)
      throws Exception {
    Workload w = new WorkloadLoader().load(EXT4, SHORT);
    CompiledDesign d = Designs.load(design, w);
    try (LocalRunPool pool = new LocalRunPool(threads)) {
      return new Hunt(w, d, SHORT, new Hunt.Settings(s, schedules, 3, w.seed()), pool).run();
    }
  }

  @Test
  void findsLinux315StaleDataWithinFiftySchedulesAndShrinksIt() throws Exception {
    // CVE-2015-8839: 3.15 lets a read fault bring a page of the hole back in while the punch
    // frees its blocks. The design allows it in every run that has a fault and a punch in the
    // window; PCT's two delays per schedule (depth 3) make a fault overtake the punch or fall
    // behind it, and must find it within the default 50 schedules.
    Hunt.DesignResult r = hunt("linux_3_15", 50, 1, Hunt.Strategy.PCT);
    Hunt.Finding f = r.findings().get(Violation.STALE_DATA);
    assertNotNull(f, "stale_data found in " + r.schedulesRun() + " schedules");
    assertTrue(f.schedule() >= 1 && f.schedule() <= 50, "the unperturbed run shows none");
    assertEquals(f.schedule(), r.schedulesRun(), "the search stops at the first violation");
    assertTrue(f.found().size() <= 2, "depth 3 gives at most two delays");
    assertTrue(f.shrunk().size() <= f.found().size(), "shrinking never adds a delay");
    assertEquals(f.schedule(), f.replication(), "schedule s draws replication s's arrivals");
    for (int i = 0; i < f.shrunk().size(); i++) {
      assertTrue(f.shrunk().get(i).delayNs() >= 1);
    }
    // The shrunk list replayed on its own shows the same kind, with the same text.
    Workload w = new WorkloadLoader().load(EXT4, SHORT);
    Schedule s = new Schedule(EXT4.toString(), Schedule.sha256(w.sourceText()), SHORT,
        "linux_3_15", w.seed(), "pct", Violation.STALE_DATA, f.replication(), f.shrunk());
    Replay.Outcome o = Replay.run(s, "test.schedule");
    assertNotNull(o.violation());
    assertEquals(f.text(), Hunt.text(o.violation()));
    assertTrue(f.text().startsWith("stale_data t="), f.text());
  }

  @Test
  void theOutcomeDoesNotDependOnTheThreads() throws Exception {
    // Schedules are drawn from (seed, design, number) and read in number order: one at a time
    // or three at a time, the same schedule is first, with the same delays and shrinking.
    Hunt.DesignResult one = hunt("punch_two_unmaps", 50, 1, Hunt.Strategy.PCT);
    Hunt.DesignResult three = hunt("punch_two_unmaps", 50, 3, Hunt.Strategy.PCT);
    assertEquals(one, three);
    assertTrue(one.findings().containsKey(Violation.STALE_DATA),
        "Wilcox's second unmap leaves the read-back window of 3.15 open");
  }

  @Test
  void theRandomStrategyFindsItToo() throws Exception {
    // With p = 0.001 over about 3,700 points a schedule delays about 3.7 of them, on top of
    // the schedule's own arrivals, of which about one in five shows the race unperturbed: random
    // search finds it within 50 schedules too. Shrinking never adds a delay.
    Hunt.DesignResult r = hunt("linux_3_15", 50, 3, Hunt.Strategy.RANDOM);
    Hunt.Finding f = r.findings().get(Violation.STALE_DATA);
    assertNotNull(f);
    assertTrue(f.schedule() >= 1 && f.schedule() <= 50);
    assertTrue(f.shrunk().size() <= f.found().size());
  }

  @Test
  void linux66StaysCleanOverAHundredSchedules() throws Exception {
    // 6.6 holds invalidate_lock exclusive across the punch and shared in filemap_fault's
    // read of a page: no delay of any task can make a fault read a page of the hole back in,
    // nor break any other oracle rule. 100 PCT schedules find nothing.
    Hunt.DesignResult r = hunt("linux_6_6", 100, 3, Hunt.Strategy.PCT);
    assertEquals(100, r.schedulesRun());
    assertEquals(java.util.Map.of(), r.findings());
  }
}
