package faultsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The page-cache map behaves as a sorted map under any sequence of puts and removes. */
final class LongMapProperties {
  @Property(tries = 300)
  void longMap_agreesWithTreeMap(
      @ForAll @Size(max = 400) List<@LongRange(min = 0, max = 300) Long> ops,
      @ForAll @Size(max = 400) List<Boolean> removes) {
    LongMap<Long> map = new LongMap<>();
    TreeMap<Long, Long> model = new TreeMap<>();
    for (int i = 0; i < ops.size(); i++) {
      long k = ops.get(i);
      if (i < removes.size() && removes.get(i)) {
        assertThat(map.remove(k)).isEqualTo(model.remove(k));
      } else {
        assertThat(map.put(k, (long) i)).isEqualTo(model.put(k, (long) i));
      }
      assertThat(map.size()).isEqualTo(model.size());
    }
    for (long k = 0; k <= 300; k++) {
      assertThat(map.get(k)).isEqualTo(model.get(k));
    }
    // Keys in [50, 250) a batch of at most 7 at a time, as find_get_entries walks a range.
    List<Long> visited = new ArrayList<>();
    long[] batch = new long[7];
    long from = 50;
    while (true) {
      int n = map.keysInRange(from, 250, batch, batch.length);
      for (int i = 0; i < n; i++) {
        visited.add(batch[i]);
      }
      if (n < batch.length) {
        break;
      }
      from = batch[n - 1] + 1;
    }
    assertThat(visited).containsExactlyElementsOf(model.subMap(50L, 250L).keySet());
  }
}
