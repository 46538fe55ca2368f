package faultsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * The page cache's node map behaves as a sorted map from index to entry: the same gets, the same
 * count, and batched range walks that return exactly the model's keys in order, whatever the
 * range's alignment to the 16-index nodes and whatever the batch size.
 */
final class PageMapProperties {
  @Property(tries = 300)
  void pageMap_agreesWithTreeMap(
      @ForAll @Size(max = 400) List<@LongRange(min = 0, max = 5000) Long> keys,
      @ForAll @LongRange(min = 0, max = 5000) long from,
      @ForAll @LongRange(min = 0, max = 5200) long to,
      @ForAll @IntRange(min = 1, max = 40) int batchSize) {
    PageMap map = new PageMap();
    TreeMap<Long, Object> model = new TreeMap<>();
    for (int i = 0; i < keys.size(); i++) {
      long k = keys.get(i);
      Object v = "v" + i;
      map.put(k, v);
      model.put(k, v);
      assertThat(map.size()).isEqualTo(model.size());
    }
    for (long k = 0; k <= 5100; k++) {
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
}
