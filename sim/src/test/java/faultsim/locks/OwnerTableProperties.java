package faultsim.locks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The folio lock owners' table behaves as an identity map: after any run of puts and removals
 * it gives every key the value an {@link IdentityHashMap} gives it, and the same count. Hashes
 * come from a handful of values, so keys collide and the runs of linear probing wrap round the
 * table; removals then have entries to move back.
 */
final class OwnerTableProperties {
  @Property(tries = 300)
  void ownerTable_agreesWithIdentityHashMap(
      @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 39) Integer> keys,
      @ForAll @Size(max = 300) List<@IntRange(min = -3, max = 5) Integer> values,
      @ForAll @IntRange(min = 1, max = 7) int distinctHashes) {
    List<Object> objects = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      objects.add(new Object());
    }
    OwnerTable table = new OwnerTable();
    Map<Object, Object> model = new IdentityHashMap<>();
    int n = Math.min(keys.size(), values.size());
    for (int i = 0; i < n; i++) {
      int k = keys.get(i);
      Object key = objects.get(k);
      long hash = k % distinctHashes;
      int v = values.get(i);
      if (v < 0) {
        table.remove(key, hash);
        model.remove(key);
      } else {
        table.put(key, hash, "v" + v);
        model.put(key, "v" + v);
      }
      assertThat(table.size()).isEqualTo(model.size());
      for (int j = 0; j < 40; j++) {
        assertThat(table.get(objects.get(j), j % distinctHashes)).as("key %d after op %d", j, i)
            .isEqualTo(model.get(objects.get(j)));
      }
    }
  }
}
