package faultsim.util;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that keeps only the entries used most recently: a cache of things made from their key
 * (a compiled design, a parsed workload), where one made again is the same as the one dropped.
 */
public final class RecentMap<K, V> extends LinkedHashMap<K, V> {
  private static final long serialVersionUID = 1L;
  private final int kept;

  private RecentMap(int kept) {
    super(2 * kept, 0.75f, true);
    this.kept = kept;
  }

  /** A map, safe to share between threads, of at most {@code kept} entries. */
  public static <K, V> Map<K, V> of(int kept) {
    if (kept < 1) {
      throw new IllegalArgumentException("a recent map keeps at least one entry, asked " + kept);
    }
    return Collections.synchronizedMap(new RecentMap<>(kept));
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > kept;
  }
}
