package faultsim.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import faultsim.fault.Designs;
import faultsim.lang.CompiledDesign;
import faultsim.oracle.Violation;
import faultsim.run.LocalRunPool;
import faultsim.workload.Workload;
import faultsim.workload.WorkloadLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The pairs strategy: which calls it pairs, the delay it computes from recorded times, and
 * hunts with it on the seed workloads (shortened to 100 us, as {@link HuntTest}).
 */
class PairsTest {

  private static Pairs.Rec rec(String task, long ordinal, String primitive, long t,
      Access touch, int taskIndex) {
    return new Pairs.Rec(task, ordinal, primitive, t, List.of(touch), taskIndex, 0, new int[0]);
  }

  @Test
  void aReadInsideAPunchsWindowIsPairedWithTheLaterRemovalAndDelayedToJustAfterTheRead() {
    // A punch removes the folio at index 67 (t = 10 ns), then frees blocks 64..191 (t = 50);
    // a reader looks index 67 up at t = 60 and reads it at t = 90. Delaying the punch at
    // free_blocks puts the lookup between the truncation and the freeing: the window pair
    // free_blocks > filemap_get_folio. Its delay lands free_blocks 1 ns after the reader's
    // call j further on: j = 0 gives 60 - 50 + 1 = 11 ns, j = 1 gives 90 - 50 + 1 = 41 ns, and
    // a j past the reader's last call stops at it.
    List<Pairs.Rec> recs = List.of(
        rec("punch", 5, "__filemap_remove_folio", 10,
            new Access(Access.Space.PAGE, 0, 67, 68, true), 0),
        rec("punch", 9, "free_blocks", 50, new Access(Access.Space.PAGE, 0, 64, 192, true), 1),
        rec("reader/0", 3, "filemap_get_folio", 60,
            new Access(Access.Space.PAGE, 0, 67, 68, false), 0),
        rec("reader/0", 4, "filemap_read_folio", 90,
            new Access(Access.Space.PAGE, 0, 67, 68, false), 1));
    Map<String, List<Integer>> byTask = new TreeMap<>();
    byTask.put("punch", new ArrayList<>(List.of(0, 1)));
    byTask.put("reader/0", new ArrayList<>(List.of(2, 3)));
    Pairs.Plan p = Pairs.Plan.of(recs, byTask);
    List<Pairs.Pair> w = p.windowGroups.get("free_blocks>filemap_get_folio");
    assertNotNull(w, p.windowGroups.keySet().toString());
    assertEquals(List.of(new Pairs.Pair(1, 2)), w);
    assertEquals(new Point("punch", 9, "free_blocks", 11), p.delay(w.get(0), 0));
    assertEquals(new Point("punch", 9, "free_blocks", 41), p.delay(w.get(0), 1));
    assertEquals(new Point("punch", 9, "free_blocks", 41), p.delay(w.get(0), 8));
    // The landings are the lookup itself and the reader's next call on index 67, its read.
    assertEquals(List.of(0, 1), p.landings(w.get(0)));
    // The removal of 67 before both reads has no earlier removal of the punch around it:
    // forcing it after a read is an ordinary access pair, not a window one.
    assertTrue(p.accessGroups.containsKey("__filemap_remove_folio>filemap_get_folio"));
    assertFalse(p.windowGroups.containsKey("__filemap_remove_folio>filemap_get_folio"));
    // The read at t = 90 is in the window too (free_blocks > filemap_read_folio): two groups
    // of window pairs, two pair schedules on this run.
    assertEquals(List.of(new Pairs.Pair(1, 3)),
        p.windowGroups.get("free_blocks>filemap_read_folio"));
    assertEquals(2, p.schedules(Hunt.PAIRS_PER_RUN));
  }

  @Test
  void callsOfOneTaskOrOnOtherStateAreNotPaired() {
    // The reader's lookup of index 200 is outside the freed range; the punch's own removal
    // is not paired with its own free; a lookup in another mapping touches other state.
    List<Pairs.Rec> recs = List.of(
        rec("punch", 1, "__filemap_remove_folio", 10,
            new Access(Access.Space.PAGE, 0, 67, 68, true), 0),
        rec("punch", 2, "free_blocks", 50, new Access(Access.Space.PAGE, 0, 64, 192, true), 1),
        rec("reader/0", 1, "filemap_get_folio", 60,
            new Access(Access.Space.PAGE, 0, 200, 201, false), 0),
        rec("reader/1", 1, "filemap_get_folio", 70,
            new Access(Access.Space.PAGE, 1, 67, 68, false), 0));
    Map<String, List<Integer>> byTask = new TreeMap<>();
    byTask.put("punch", List.of(0, 1));
    byTask.put("reader/0", List.of(2));
    byTask.put("reader/1", List.of(3));
    Pairs.Plan p = Pairs.Plan.of(recs, byTask);
    assertEquals(0, p.size());
    assertEquals(null, p.draw(new java.util.SplittableRandom(1), 0, 0, Long.MAX_VALUE));
  }

  /**
   * A truncate (op 0) unmaps PTEs 0..16 at t = 80 under the PTL (lock 0), removes the folio at
   * index 5 at 100, unmaps again under the PTL at 200 and frees blocks 0..16 at 300; its next
   * truncate (op 1) unmaps again at 400. A fault trylocked index 5 at 50 holding {@code held}
   * and set the PTE for it at 60. Held locks as {@link Pairs.Rec#held} writes them: lock 0 for
   * write is 1, shared 0; the truncate's unmaps hold it as {@code ptl} says.
   */
  private static Pairs.Plan truncateAndFault(int[] held, int[] ptl) {
    Access pte = new Access(Access.Space.PTE, 1, 0, 16, true);
    // In simulation order, as a recording is.
    List<Pairs.Rec> recs = List.of(
        new Pairs.Rec("reader/0", 7, "folio_trylock", 50,
            List.of(new Access(Access.Space.PAGE, 0, 5, 6, false)), 0, 0, held),
        new Pairs.Rec("reader/0", 8, "set_pte_at", 60,
            List.of(new Access(Access.Space.PTE, 1, 5, 6, false),
                new Access(Access.Space.PAGE, 0, 5, 6, false)), 1, 0, held),
        new Pairs.Rec("truncate", 1, "zap_pte_range", 80, List.of(pte), 0, 0, ptl),
        new Pairs.Rec("truncate", 2, "__filemap_remove_folio", 100,
            List.of(new Access(Access.Space.PAGE, 0, 5, 6, true)), 1, 0, new int[0]),
        new Pairs.Rec("truncate", 3, "zap_pte_range", 200, List.of(pte), 2, 0, ptl),
        new Pairs.Rec("truncate", 4, "free_blocks", 300,
            List.of(new Access(Access.Space.PAGE, 0, 0, 16, true)), 3, 0, new int[0]),
        new Pairs.Rec("truncate", 5, "zap_pte_range", 400, List.of(pte), 4, 1, ptl));
    Map<String, List<Integer>> byTask = new TreeMap<>();
    byTask.put("reader/0", List.of(0, 1));
    byTask.put("truncate", List.of(2, 3, 4, 5, 6));
    return Pairs.Plan.of(recs, byTask);
  }

  @Test
  void aTrylockForcedPastARemovalAlsoLandsPastTheRemoversLastStepOnEachStateItGoesOnToUse() {
    // The trylock (index 5, holding nothing) paired with the removal of index 5, a window
    // pair: the truncate frees index 5's blocks after. Near landings: the removal itself (0)
    // and the truncate's next call on index 5, free_blocks (2). The fault goes on to use index
    // 5 (page cache) and the PTE at 5: the truncate's last call of its operation on each is
    // free_blocks (2, already a near landing) and the second unmap (1); the unmap of the next
    // truncate (op 1) is past the operation. Landing 1 delays the trylock to 200 - 50 + 1.
    Pairs.Plan p = truncateAndFault(new int[0], new int[] {1});
    List<Pairs.Pair> w = p.windowGroups.get("folio_trylock>__filemap_remove_folio");
    assertEquals(List.of(new Pairs.Pair(0, 3)), w, p.windowGroups.keySet().toString());
    assertEquals(List.of(0, 2), p.landings(w.get(0)));
    assertEquals(List.of(1), p.follows(w.get(0)));
    assertEquals(new Point("reader/0", 7, "folio_trylock", 151), p.delay(w.get(0), 1));
  }

  @Test
  void aCallMadeUnderALockTheOtherTaskTakesBeforeTheLandingIsNotPaired() {
    // The trylock made under the PTL (lock 0 for write): the truncate's first unmap, at 80,
    // between the trylock (50) and the removal (100), is made under the same PTL and would
    // wait for the delayed fault, so the removal cannot overtake it: no pair. Both holding
    // it shared exclude nothing: the pair is back.
    Pairs.Plan p = truncateAndFault(new int[] {1}, new int[] {1});
    assertFalse(p.windowGroups.containsKey("folio_trylock>__filemap_remove_folio"));
    assertFalse(p.accessGroups.containsKey("folio_trylock>__filemap_remove_folio"));
    Pairs.Plan shared = truncateAndFault(new int[] {0}, new int[] {0});
    Pairs.Pair pair = new Pairs.Pair(0, 3);
    assertTrue(shared.windowGroups.get("folio_trylock>__filemap_remove_folio").contains(pair));
    assertTrue(shared.unblocked(pair, 2));
    // Write holds on both sides: every landing is past the first unmap.
    assertFalse(p.unblocked(pair, 0));
    assertFalse(p.unblocked(pair, 2));
    // Shared by the fault, written by the truncate: excluded too.
    assertFalse(truncateAndFault(new int[] {0}, new int[] {1}).windowGroups
        .containsKey("folio_trylock>__filemap_remove_folio"));
  }

  private static Hunt.DesignResult hunt(Path file, List<String> sets, String design,
      int schedules, int threads) throws Exception {
    Workload w = new WorkloadLoader().load(file, sets);
    CompiledDesign d = Designs.load(design, w);
    try (LocalRunPool pool = new LocalRunPool(threads)) {
      return new Hunt(w, d, sets, new Hunt.Settings(Hunt.Strategy.PAIRS, schedules, 3, w.seed()),
          pool).run();
    }
  }

  @Test
  void findsLinux315StaleDataWithinFiftySchedulesAndItsScheduleReplaysByteForByte()
      throws Exception {
    // CVE-2015-8839 on the seed 000 workload: a read fault between the punch's page-cache
    // truncation and its freeing of the blocks. Pair schedules move one call of a recorded
    // run; within the default 50 schedules one of them (or a replication's own timing) shows
    // it, and the shrunk schedule run again gives the same violation text.
    Hunt.DesignResult r = hunt(HuntTest.EXT4, HuntTest.SHORT, "linux_3_15", 50, 2);
    Hunt.Finding f = r.findings().get(Violation.STALE_DATA);
    assertNotNull(f, "stale_data found in " + r.schedulesRun() + " schedules");
    assertTrue(f.schedule() <= 50);
    assertTrue(f.found().size() <= 1, "a pair schedule has one delay");
    assertTrue(f.shrunk().size() <= f.found().size());
    Workload w = new WorkloadLoader().load(HuntTest.EXT4, HuntTest.SHORT);
    Schedule s = new Schedule(HuntTest.EXT4.toString(), Schedule.sha256(w.sourceText()),
        HuntTest.SHORT, "linux_3_15", w.seed(), "pairs", Violation.STALE_DATA,
        f.replication(), f.shrunk());
    Replay.Outcome o = Replay.run(s, "test.schedule");
    assertNotNull(o.violation());
    assertEquals(f.text(), Hunt.text(o.violation()));
  }

  @Test
  void theOutcomeDoesNotDependOnTheThreads() throws Exception {
    // Recordings and pair draws depend on the seed, the design and the schedule's number;
    // batches end before a pair schedule whose recording is not in yet, and results are read
    // in number order: one thread or three, the same result.
    Hunt.DesignResult one = hunt(HuntTest.EXT4, HuntTest.SHORT, "punch_two_unmaps", 50, 1);
    Hunt.DesignResult three = hunt(HuntTest.EXT4, HuntTest.SHORT, "punch_two_unmaps", 50, 3);
    assertEquals(one, three);
    assertTrue(one.findings().containsKey(Violation.STALE_DATA));
  }

  @Test
  void findsTheXfsInvalidContextAndTheDaxLockOrderCycle() throws Exception {
    // Both are in every run: xfs_map_pages_mmaplock sleeps in down_read() under
    // rcu_read_lock() at every fault-around, and dax_get_block_under_i_mmap takes the journal
    // handle under i_mmap_mutex while the punch takes them the other way round. The recorded
    // schedule 0 shows them.
    Hunt.DesignResult x = hunt(Path.of("..", "workloads", "xfs-map-pages-mmaplock.yaml"),
        HuntTest.SHORT, "xfs_map_pages_mmaplock", 50, 2);
    assertEquals(0, x.findings().get(Violation.INVALID_CONTEXT).schedule());
    Hunt.DesignResult d = hunt(Path.of("..", "workloads", "dax-fault-vs-punch.yaml"),
        HuntTest.SHORT, "dax_get_block_under_i_mmap", 50, 2);
    Hunt.Finding lo = d.findings().get(Violation.LOCK_ORDER);
    assertNotNull(lo, d.findings().keySet().toString());
    assertTrue(lo.schedule() <= 50);
  }

  @Test
  void linux66StaysCleanOverFiftyPairSchedules() throws Exception {
    // 6.6 holds invalidate_lock exclusive across the punch and shared where a fault reads a
    // page in: no forced order of a removal and a lookup exposes stale data.
    Hunt.DesignResult r = hunt(HuntTest.EXT4, HuntTest.SHORT, "linux_6_6", 50, 2);
    assertEquals(50, r.schedulesRun());
    assertEquals(Map.of(), r.findings());
  }
}
