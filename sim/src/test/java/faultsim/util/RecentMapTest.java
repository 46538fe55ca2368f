package faultsim.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class RecentMapTest {
  @Test
  void keepsTheEntriesUsedLast_notThoseMadeFirst() {
    // Kept 2. a, b in; a read (now the more recent); c in drops b, the least recently used.
    Map<String, Integer> m = RecentMap.of(2);
    m.put("a", 1);
    m.put("b", 2);
    assertThat(m.get("a")).isEqualTo(1);
    m.put("c", 3);
    assertThat(m).containsOnlyKeys("a", "c");
    // computeIfAbsent counts as a use, and makes what is missing: d in drops a.
    assertThat(m.computeIfAbsent("c", k -> 9)).isEqualTo(3);
    assertThat(m.computeIfAbsent("d", k -> 4)).isEqualTo(4);
    assertThat(m).containsOnlyKeys("c", "d");
  }

  @Test
  void keepsAtLeastOne() {
    assertThatThrownBy(() -> RecentMap.of(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
  }
}
