package faultsim.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import faultsim.fault.Designs;
import faultsim.lang.CompiledDesign;
import faultsim.run.LocalRunPool;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every race of the example designs outside ext4 (which {@link HuntTest} and {@link PairsTest}
 * hunt) is found by the default strategy (pairs) within the default 50 schedules, on runs
 * shortened to 100 us, and the shrunk schedule of each replays its violation text byte for
 * byte (2003's unchecked nopage and the fault-around that checks i_size before the folio lock
 * run as written, 3 ms). The tmpfs pincer is a hang: its runs last 400 us and a punch counts as
 * stuck after 150 us (a punch of 512 KiB with no faults in the hole takes a few microseconds).
 */
class SeedRacesHuntTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // Sleeping down_read() under rcu_read_lock() at every fault-around: every run.
      "xfs-map-pages-mmaplock.yaml|xfs_map_pages_mmaplock|invalid_context|global.runtime=100us",
      // Journal handle under i_mmap_mutex in the fault, the other way round in the punch.
      "dax-fault-vs-punch.yaml|dax_get_block_under_i_mmap|lock_order|global.runtime=100us",
      // A DAX fault maps a block after the punch's unmap and before it frees the block.
      "dax-fault-vs-punch.yaml|dax_isize_recheck|stale_data|global.runtime=100us",
      // 2003's do_no_page without a re-check: a reader's ->nopage runs into a truncate (removal
      // and block freeing) before it sets the PTE. The workload as written (3 ms, a truncate every
      // 20 us): its plain replications of seed 1 never show it.
      "truncate-vs-nopage.yaml|nopage_unchecked|stale_data|global.runtime=3ms",
      // 6.6's fault-around with its re-checks made before the first folio's trylock: a
      // truncate runs whole (i_size lowered, both unmaps, the folio removed) between the checks
      // and the trylock, and the fault maps the removed folio after the last unmap. The index is
      // past the new EOF, which the oracle asks before whether the folio is still in the page
      // cache: beyond_eof, not stale_data. The workload as written (3 ms, a truncate every
      // 50 us): on 1 ms runs none of seeds 1-5 shows it within 50 schedules.
      "fault-around-vs-truncate.yaml|fa_isize_before_lock|beyond_eof|global.runtime=3ms",
      // Faults into the hole keep sending the 3.15 tmpfs punch back to its start.
      "tmpfs-punch-vs-faults.yaml|shmem_punch_rescan|no_progress|global.runtime=400us;"
          + "kernel.no_progress_time=150us"})
  void foundWithinFiftySchedulesAndReplayedByteForByte(String file, String design, String kind,
      String sets) throws Exception {
    Path path = Path.of("..", "workloads", file);
    List<String> over = List.of(sets.split(";"));
    Workload w = new WorkloadLoader().load(path, over);
    CompiledDesign d = Designs.load(design, w);
    Hunt.DesignResult r;
    try (LocalRunPool pool = new LocalRunPool(2)) {
      r = new Hunt(w, d, over, new Hunt.Settings(Hunt.Strategy.PAIRS, 50, 3, w.seed()), pool)
          .run();
    }
    Hunt.Finding f = r.findings().get(kind);
    assertNotNull(f, kind + " in " + r.findings().keySet() + " after " + r.schedulesRun());
    assertTrue(f.schedule() <= 50);
    Schedule s = new Schedule(path.toString(), Schedule.sha256(w.sourceText()), over, design,
        w.seed(), "pairs", kind, f.replication(), f.shrunk());
    // Through the file's text, as replay reads it.
    Schedule back = Schedule.parse("x.schedule", s.text());
    Replay.Outcome o = Replay.run(back, "x.schedule");
    assertNotNull(o.violation());
    assertEquals(f.text(), Hunt.text(o.violation()));
    assertTrue(f.text().startsWith(kind + " t="), f.text());
  }
}
