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
    List<Long> visited = new ArrayList<>();
    map.forEachInRange(50, 250, visited::add);
    assertThat(visited).containsExactlyElementsOf(model.subMap(50L, 250L).values());
  }
}
