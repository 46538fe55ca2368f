package faultsim.kernel;

/**
 * A page cache's map from page index to entry, stored as the xarray stores it: in nodes of
 * {@value #CHUNK} consecutive indexes (one {@code Object[16]} per node that holds anything),
 * found by a {@link LongMap} keyed by {@code index / 16}. A fault-around window is 16 aligned
 * pages, so a file touched at random fills whole nodes, and a touched page costs a slot of a
 * node (4 bytes with compressed references) rather than a key and a value slot of a hash table
 * kept at most three quarters full (12 bytes, 16 to 32 in practice).
 */
final class PageMap {
  private static final int SHIFT = 4;
  /** Indexes per node. */
  static final int CHUNK = 1 << SHIFT;

  private final LongMap<Object[]> nodes = new LongMap<>();
  private final long[] nodeKeys = new long[64];
  private int size;

  /** Number of indexes holding an entry. */
  int size() {
    return size;
  }

  Object get(long index) {
    Object[] node = nodes.get(index >> SHIFT);
    return node == null ? null : node[(int) (index & (CHUNK - 1))];
  }

  /** Stores {@code value} (not null) at {@code index}. */
  void put(long index, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("null entry at " + index);
    }
    long key = index >> SHIFT;
    Object[] node = nodes.get(key);
    if (node == null) {
      node = new Object[CHUNK];
      nodes.put(key, node);
    }
    int slot = (int) (index & (CHUNK - 1));
    if (node[slot] == null) {
      size++;
    }
    node[slot] = value;
  }

  /**
   * Up to {@code max} indexes with {@code from <= index < to} that hold an entry, ascending,
   * into {@code out}; returns how many.
   */
  int keysInRange(long from, long to, long[] out, int max) {
    if (from >= to || max <= 0) {
      return 0;
    }
    int n = 0;
    long next = from >> SHIFT;
    long endKey = ((to - 1) >> SHIFT) + 1;
    while (next < endKey) {
      int m = nodes.keysInRange(next, endKey, nodeKeys, nodeKeys.length);
      for (int j = 0; j < m; j++) {
        Object[] node = nodes.get(nodeKeys[j]);
        long base = nodeKeys[j] << SHIFT;
        for (int s = 0; s < CHUNK; s++) {
          long index = base + s;
          if (node[s] != null && index >= from && index < to) {
            out[n++] = index;
            if (n == max) {
              return n;
            }
          }
        }
      }
      if (m < nodeKeys.length) {
        break;
      }
      next = nodeKeys[m - 1] + 1;
    }
    return n;
  }
}
