package faultsim.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;
import org.junit.jupiter.api.Test;

class DeltaDebugTest {
  /**
   * The test that fails when every culprit is in the list, answering the first that does; every
   * candidate of a round counts as run (a hunt runs them all at once).
   */
  private static DeltaDebug.Test<Integer> containsAll(Set<Integer> culprits, int[] runs) {
    return candidates -> {
      runs[0] += candidates.size();
      for (int i = 0; i < candidates.size(); i++) {
        if (candidates.get(i).containsAll(culprits)) {
          return i;
        }
      }
      return -1;
    };
  }

  @Test
  void keepsExactlyTheTwoDelaysThatMatter() throws Exception {
    // Eight delays, the race needs the 3rd and the 6th. Any sublist without one of them no
    // longer fails, so the only 1-minimal failing sublist is [3, 6]: ddmin must return it.
    // Round 1 (n=2): [1..4] and [5..8] each miss a culprit; n=4: chunks [1,2] [3,4] [5,6] [7,8]
    // miss one, the complement of [1,2] keeps both: [3..8], n=3. Chunks [3,4] [5,6] [7,8]
    // fail; complements: without [3,4] no; without [5,6] no; without [7,8] -> [3,4,5,6], n=2.
    // [3,4] and [5,6] fail; n=4: [3] [4] [5] [6] fail; complement without [4] -> [3,5,6], n=3;
    // [3] [5] [6] fail; without [3] no, without [5] -> [3,6], n=2; [3] and [6] fail; n=2 >= 2:
    // done. Rounds of 2, 8, 6, 2, 8, 6 and 2 candidates: 34 runs.
    int[] runs = {0};
    int[] budget = {100};
    List<Integer> out = DeltaDebug.ddmin(List.of(1, 2, 3, 4, 5, 6, 7, 8),
        containsAll(Set.of(3, 6), runs), budget);
    assertEquals(List.of(3, 6), out);
    assertEquals(34, runs[0]);
    assertEquals(100 - 34, budget[0], "every candidate run is charged to the budget");
  }

  @Test
  void stopsWhenTheBudgetIsSpent() throws Exception {
    // A budget of 2 pays for round 1's two halves only, neither of which fails: the list comes
    // back whole.
    int[] budget = {2};
    List<Integer> in = List.of(1, 2, 3, 4, 5, 6, 7, 8);
    assertEquals(in, DeltaDebug.ddmin(in, containsAll(Set.of(3, 6), new int[1]), budget));
    assertEquals(0, budget[0]);
  }

  @Property(tries = 200)
  void findsExactlyTheCulpritsOfAMonotoneFailure(
      @ForAll @Size(min = 1, max = 40) @UniqueElements List<@IntRange(max = 1000) Integer> list,
      @ForAll @IntRange(min = 1, max = 4) int k, @ForAll long pickSeed) {
    // For "fails iff all culprits are present" the culprit set is the unique minimal failing
    // sublist, and every 1-minimal one equals it; with an ample budget ddmin must stop there.
    java.util.Random r = new java.util.Random(pickSeed);
    List<Integer> shuffled = new ArrayList<>(list);
    java.util.Collections.shuffle(shuffled, r);
    Set<Integer> culprits = new HashSet<>(shuffled.subList(0, Math.min(k, list.size())));
    int[] budget = {100_000};
    try {
      List<Integer> out = DeltaDebug.ddmin(list, containsAll(culprits, new int[1]), budget);
      assertEquals(culprits, new HashSet<>(out));
      assertEquals(culprits.size(), out.size());
      assertTrue(list.containsAll(out));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void splitsIntoNearlyEqualChunksInOrder() {
    // 7 into 3: sizes 2, 2, 3 (each chunk takes the remaining size over the chunks left).
    assertEquals(List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6, 7)),
        DeltaDebug.split(List.of(1, 2, 3, 4, 5, 6, 7), 3));
  }
}
