package faultsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * The page cache's node map behaves as a sorted map from index to entry: the same gets, the same
 * count, and batched range walks that return exactly the model's keys in order, whatever the
 * range's alignment to the 64-index leaves and 4096-index groups and whatever the batch size.
 * Entries are folios stored at their own index (kept as themselves), folios stored elsewhere
 * and other values (kept with their index); overwriting an index keeps one entry there.
 */
final class PageMapProperties {
  @Property(tries = 300)
  void pageMap_agreesWithTreeMap(
      @ForAll @Size(max = 400) List<@LongRange(min = 0, max = 5000) Long> near,
      @ForAll @Size(max = 40) List<@LongRange(min = 0, max = 12000) Long> far,
      @ForAll @LongRange(min = 0, max = 12000) long from,
      @ForAll @LongRange(min = 0, max = 12200) long to,
      @ForAll @IntRange(min = 1, max = 40) int batchSize) {
    Kernel kernel = KernelStateTest.kernel();
    PageMap map = new PageMap();
    TreeMap<Long, Object> model = new TreeMap<>();
    List<Long> keys = new ArrayList<>(near);
    keys.addAll(far);
    for (int i = 0; i < keys.size(); i++) {
      long k = keys.get(i);
      Object v = switch (i % 3) {
        case 0 -> new Folio(kernel, null, k, 0);
        case 1 -> new Folio(kernel, null, k + 1, 0);
        default -> "v" + i;
      };
      map.put(k, v);
      model.put(k, v);
      assertThat(map.size()).isEqualTo(model.size());
    }
    for (long k = 0; k <= 12300; k++) {
      assertThat(map.get(k)).isEqualTo(model.get(k));
    }
    List<Long> visited = new ArrayList<>();
    long[] batch = new long[batchSize];
    long next = from;
    while (next < to) {
      int n = map.keysInRange(next, to, batch, batch.length);
      for (int i = 0; i < n; i++) {
        visited.add(batch[i]);
      }
      if (n < batch.length) {
        break;
      }
      next = batch[n - 1] + 1;
    }
    List<Long> expected = from < to ? List.copyOf(model.subMap(from, to).keySet()) : List.of();
    assertThat(visited).containsExactlyElementsOf(expected);
  }

  /**
   * Leaves filled to every density up to full (all 64 indexes of a leaf), where a lookup's
   * search window narrows to one slot: the three leaves hold every index but the holes, put in
   * ascending or descending order (a leaf goes from a sorted array to all its slots as it
   * fills); every index reads back as the model has it, present or not, the count agrees, and
   * a walk from {@code from} returns the model's keys in order.
   */
  @Property(tries = 200)
  void denseLeaves_agreeWithTreeMap(
      @ForAll @Size(max = 70) Set<@LongRange(min = 0, max = 191) Long> holes,
      @ForAll boolean descending,
      @ForAll @LongRange(min = 0, max = 200) long from) {
    Kernel kernel = KernelStateTest.kernel();
    PageMap map = new PageMap();
    TreeMap<Long, Object> model = new TreeMap<>();
    for (long i = 0; i < 192; i++) {
      long k = descending ? 191 - i : i;
      if (!holes.contains(k)) {
        Object v = new Folio(kernel, null, k, 0);
        map.put(k, v);
        model.put(k, v);
      }
    }
    assertThat(map.size()).isEqualTo(model.size());
    for (long k = 0; k < 256; k++) {
      assertThat(map.get(k)).as("index %d", k).isSameAs(model.get(k));
    }
    long[] batch = new long[256];
    int n = map.keysInRange(from, 256, batch, batch.length);
    assertThat(java.util.Arrays.copyOf(batch, n)).containsExactly(
        model.tailMap(from).keySet().stream().mapToLong(Long::longValue).toArray());
  }

  /**
   * A lookup through a hint gives the same entry as one without it, even when the hint last
   * served another map: the two maps hold different folios at the same indexes, and lookups
   * alternate between them through one hint.
   */
  @Example
  void hint_givesEachMapItsOwnEntries() {
    Kernel kernel = KernelStateTest.kernel();
    PageMap a = new PageMap();
    PageMap b = new PageMap();
    for (long k = 0; k < 100; k++) {
      a.put(k, new Folio(kernel, null, k, 0));
      if (k % 3 == 0) {
        b.put(k, new Folio(kernel, null, k, 0));
      }
    }
    PageMap.Hint hint = new PageMap.Hint();
    for (long k = 0; k < 130; k++) {
      assertThat(a.get(k, hint)).as("a, index %d", k).isSameAs(a.get(k));
      assertThat(b.get(k, hint)).as("b, index %d", k).isSameAs(b.get(k));
    }
  }
}
