package faultsim.kernel;

import java.util.Arrays;

/**
 * An open-addressing hash map from {@code long} keys to objects, in the spirit of the xarray: it
 * costs two array slots per entry, so a 1 TiB file with a few million touched pages stays small.
 * Keys in order come from {@link #keysInRange}, which sorts the keys it returns; nothing
 * depends on hash order.
 */
final class LongMap<V> {
  private static final long EMPTY = Long.MIN_VALUE;
  private long[] keys;
  private Object[] values;
  private int size;

  LongMap() {
    keys = new long[16];
    Arrays.fill(keys, EMPTY);
    values = new Object[16];
  }

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  V get(long key) {
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return (V) values[i];
      }
      if (k == EMPTY) {
        return null;
      }
    }
  }

  @SuppressWarnings("unchecked")
  V put(long key, V value) {
    if (key == EMPTY) {
      throw new IllegalArgumentException("key out of range");
    }
    if ((size + 1) * 4 >= keys.length * 3) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        V old = (V) values[i];
        values[i] = value;
        return old;
      }
      if (k == EMPTY) {
        keys[i] = key;
        values[i] = value;
        size++;
        return null;
      }
    }
  }

  @SuppressWarnings("unchecked")
  V remove(long key) {
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (keys[i] != key) {
      if (keys[i] == EMPTY) {
        return null;
      }
      i = (i + 1) & mask;
    }
    V old = (V) values[i];
    size--;
    // Backward-shift deletion keeps probe chains intact without tombstones.
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (keys[j] == EMPTY) {
        break;
      }
      int home = slot(keys[j], mask);
      boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!between) {
        keys[i] = keys[j];
        values[i] = values[j];
        i = j;
      }
    }
    keys[i] = EMPTY;
    values[i] = null;
    return old;
  }

  /**
   * Up to {@code max} keys with {@code from <= key < to}, ascending, into {@code out}; returns
   * how many. The page cache's batched lookups ({@code find_get_entries} fills a folio_batch)
   * use it.
   */
  int keysInRange(long from, long to, long[] out, int max) {
    long span = to - from;
    if (span <= 0 || max <= 0) {
      return 0;
    }
    int n = 0;
    if (span <= 4L * size + 64) {
      for (long k = from; k < to && n < max; k++) {
        if (get(k) != null) {
          out[n++] = k;
        }
      }
      return n;
    }
    long[] found = new long[size];
    int m = 0;
    for (long k : keys) {
      if (k != EMPTY && k >= from && k < to) {
        found[m++] = k;
      }
    }
    Arrays.sort(found, 0, m);
    n = Math.min(m, max);
    System.arraycopy(found, 0, out, 0, n);
    return n;
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    values = new Object[oldValues.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        @SuppressWarnings("unchecked")
        V v = (V) oldValues[i];
        put(oldKeys[i], v);
      }
    }
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
