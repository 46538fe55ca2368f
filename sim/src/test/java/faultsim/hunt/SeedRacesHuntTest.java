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
import org.junit.jupiter.params.provider.ValueSource;

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
      // The kind asked for: a schedule can show the same bug as another kind first (the
      // fault-around race maps the removed folio after the truncate has ended: stale_data,
      // a folio no longer in the page cache, before a schedule shows beyond_eof).
      r = new Hunt(w, d, over, new Hunt.Settings(Hunt.Strategy.PAIRS, 50, 3, w.seed()), pool)
          .only(kind).run();
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

  /**
   * The fault-around race for seeds 4 and 5 (arrivals drawn from the seed, as the per-race
   * table draws them; seed 1 is the case above), within 50 schedules: two of the three seeds
   * (3, 4, 5) where pairs did not find it in 50 before (3 takes 30 s here, these a few each).
   * It needs the first folio's trylock held up from just after the fault's checks until after
   * the truncate's second unmap and before the truncate ends (the oracle looks for PTEs past
   * EOF as it ends): a window of a few microseconds some 50 us after the delayed call. A delay
   * to just after the page-cache removal the call is paired with, or to the removal's
   * neighbours, has the fault map the folio before the second unmap zaps it; one to the
   * freeing of the blocks, the truncate's last step, maps it after the truncate has ended.
   * Pairs found it within 50 only for seeds 1 and 2 (runs 32 and 44) until its landings
   * followed the truncate to its last unmap of the PTEs the fault goes on to set, and until
   * the trylocks made under the PTL (the batch's later folios, which the unmap would wait
   * for: no reordering) stopped taking draws.
   */
  @ParameterizedTest
  @ValueSource(longs = {4, 5})
  void faultAroundBeforeTheLockIsFoundForSeedsPairsMissedBefore(long seed) throws Exception {
    Path path = Path.of("..", "workloads", "fault-around-vs-truncate.yaml");
    List<String> over = List.of("global.runtime=3ms", "global.randseed=" + seed);
    Workload w = new WorkloadLoader().load(path, over);
    CompiledDesign d = Designs.load("fa_isize_before_lock", w);
    Hunt.DesignResult r;
    try (LocalRunPool pool = new LocalRunPool(2)) {
      r = new Hunt(w, d, over, new Hunt.Settings(Hunt.Strategy.PAIRS, 50, 3, seed), pool)
          .only("beyond_eof").withoutShrinking().run();
    }
    Hunt.Finding f = r.findings().get("beyond_eof");
    assertNotNull(f, "beyond_eof after " + r.schedulesRun() + " schedules");
    assertTrue(f.schedule() <= 50);
    assertTrue(f.text().startsWith("beyond_eof t="), f.text());
  }
}
