package faultsim.locks;

/**
 * Who holds each taken folio lock bit: an open-addressing table keyed by the folio itself
 * (identity), placed by a hash the caller gives (the folio's file and index, which stand for its
 * address), so that a lookup reads no identity hash from the object header and a removal shifts
 * back the few entries after it instead of rehashing. A run has a few taken bits at a time, at
 * most some per task.
 */
final class OwnerTable {
  private Object[] keys = new Object[16];
  private Object[] values = new Object[16];
  /** The hash each key was placed by. */
  private long[] hashes = new long[16];
  private int size;

  int size() {
    return size;
  }

  Object get(Object key, long hash) {
    Object[] ks = keys;
    int mask = ks.length - 1;
    for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
      Object k = ks[i];
      if (k == key) {
        return values[i];
      }
      if (k == null) {
        return null;
      }
    }
  }

  void put(Object key, long hash, Object value) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
      Object k = keys[i];
      if (k == key) {
        values[i] = value;
        return;
      }
      if (k == null) {
        keys[i] = key;
        values[i] = value;
        hashes[i] = hash;
        size++;
        return;
      }
    }
  }

  /**
   * Takes out {@code key}, if present, and moves back any entry of the run after it that would
   * otherwise be cut off from its home slot (Knuth's algorithm R for linear probing).
   */
  void remove(Object key, long hash) {
    int mask = keys.length - 1;
    int i = slot(hash, mask);
    while (keys[i] != key) {
      if (keys[i] == null) {
        return;
      }
      i = (i + 1) & mask;
    }
    size--;
    int hole = i;
    for (int j = (i + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
      int home = slot(hashes[j], mask);
      // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
      boolean homeBetween = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!homeBetween) {
        keys[hole] = keys[j];
        values[hole] = values[j];
        hashes[hole] = hashes[j];
        hole = j;
      }
    }
    keys[hole] = null;
    values[hole] = null;
  }

  private static int slot(long hash, int mask) {
    long h = hash * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void grow() {
    Object[] oldKeys = keys;
    Object[] oldValues = values;
    long[] oldHashes = hashes;
    keys = new Object[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    hashes = new long[oldKeys.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        put(oldKeys[i], oldHashes[i], oldValues[i]);
      }
    }
  }
}
