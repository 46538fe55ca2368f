package faultsim.hunt;

import java.util.ArrayList;
import java.util.List;

/**
 * Zeller and Hildebrandt's ddmin ("Simplifying and Isolating Failure-Inducing Input", TSE 2002):
 * the smallest sublist of a failing list that still fails, in the sense that removing any one
 * of its chunks at the final granularity makes the failure go away (1-minimal when the budget
 * lasts).
 */
final class DeltaDebug {
  private DeltaDebug() {}

  /** Tries candidate lists, in order. */
  interface Test<T> {
    /**
     * The index of the first of {@code candidates} that still fails, or -1 if none does. May
     * run them all at once, as long as it answers the first in order.
     */
    int firstFailing(List<List<T>> candidates) throws InterruptedException;
  }

  /**
   * Reduces {@code failing} (which fails) with at most {@code budget[0]} candidate runs,
   * decreasing {@code budget[0]} by the runs made.
   */
  static <T> List<T> ddmin(List<T> failing, Test<T> test, int[] budget)
      throws InterruptedException {
    List<T> c = List.copyOf(failing);
    int n = 2;
    while (c.size() >= 2 && budget[0] > 0) {
      List<List<T>> chunks = split(c, n);
      List<List<T>> candidates = new ArrayList<>(chunks);
      if (n > 2) {
        // With two chunks each complement is the other chunk, tried already.
        for (int i = 0; i < chunks.size(); i++) {
          List<T> rest = new ArrayList<>();
          for (int j = 0; j < chunks.size(); j++) {
            if (j != i) {
              rest.addAll(chunks.get(j));
            }
          }
          candidates.add(List.copyOf(rest));
        }
      }
      if (candidates.size() > budget[0]) {
        candidates = candidates.subList(0, budget[0]);
      }
      budget[0] -= candidates.size();
      int pick = test.firstFailing(candidates);
      if (pick >= 0) {
        c = candidates.get(pick);
        n = pick < chunks.size() ? 2 : Math.max(n - 1, 2);
      } else if (n >= c.size()) {
        break;
      } else {
        n = Math.min(c.size(), 2 * n);
      }
    }
    return c;
  }

  /** {@code c} cut into {@code n} chunks of sizes differing by at most one, in order. */
  static <T> List<List<T>> split(List<T> c, int n) {
    List<List<T>> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < n; i++) {
      int end = start + (c.size() - start) / (n - i);
      out.add(List.copyOf(c.subList(start, end)));
      start = end;
    }
    return out;
  }
}
