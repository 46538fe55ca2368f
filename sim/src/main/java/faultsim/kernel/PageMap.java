package faultsim.kernel;

import faultsim.machine.CacheLine;

/**
 * A page cache's map from page index to entry, stored as the xarray stores it: leaf nodes of
 * {@value #NODE_SLOTS} consecutive indexes ({@code XA_CHUNK_SHIFT}), each the cache line that
 * lookups read and stores write, grouped {@value #GROUP_NODES} to an array found by a
 * {@link LongMap} keyed by {@code index / 4096} (the level above the leaves).
 *
 * <p>A leaf keeps only the entries it holds, in index order: one entry as itself, more in an
 * array of exactly that many, and from {@value #DENSE_MIN} entries on in an array of all
 * {@value #NODE_SLOTS} slots, each entry at its offset. Random faults over a huge file put about
 * one page in a leaf, so a touched page costs a share of its leaf (40 bytes with compressed
 * references, the line included) and of its group's slot, not 64 slots; a leaf filled by a
 * cached file costs 4 bytes a page. A lookup in a short array searches it, reading the entries'
 * indexes (a folio's is in the folio); in a full-width one it reads its slot alone. A folio is stored as itself (it knows its index); any other entry is wrapped with its
 * index.
 */
final class PageMap {
  static final int NODE_SHIFT = AddressSpace.XA_CHUNK_SHIFT;
  /** Indexes per leaf node. */
  static final int NODE_SLOTS = 1 << NODE_SHIFT;
  private static final int GROUP_SHIFT = 6;
  /** Leaf nodes per group. */
  static final int GROUP_NODES = 1 << GROUP_SHIFT;
  private static final int INDEX_TO_GROUP = NODE_SHIFT + GROUP_SHIFT;
  /**
   * Entries from which a leaf keeps all {@value #NODE_SLOTS} slots: an array of that length is
   * indexed by offset (272 bytes, 8.5 a page or less); a shorter one is sorted, exactly as long
   * as the entries it holds.
   */
  static final int DENSE_MIN = 32;

  /**
   * A leaf node of the xarray: its cache line, and its entries (null, one entry, or an array of
   * two or more in index order).
   */
  static final class Node extends CacheLine {
    private Object slots;
  }

  /** A non-folio entry with its index. */
  private record Indexed(long index, Object value) {}

  private final LongMap<Node[]> groups = new LongMap<>();
  private final long[] groupKeys = new long[64];
  private int size;

  /** Number of indexes holding an entry. */
  int size() {
    return size;
  }

  private static long indexOf(Object entry) {
    return entry instanceof Folio f ? f.index() : ((Indexed) entry).index();
  }

  private static Object valueOf(Object entry) {
    return entry instanceof Indexed i ? i.value() : entry;
  }

  /**
   * The last leaf node found, with its number ({@code index >> NODE_SHIFT}): leaves are never
   * taken out of the map, so a remembered leaf stays the right one, and the lookups of one
   * fault-around batch, all in one leaf, skip the hash table and the group.
   */
  static final class Hint {
    /** The map the leaf is in: a hint given to another map is not used there. */
    private PageMap map;
    private long leaf = -1;
    private Node node;
  }

  private final Hint last = new Hint();

  /** The leaf node holding {@code index}'s slot, made (empty) if there is none. */
  Node node(long index) {
    Node node = nodeIfAny(index, last);
    if (node != null) {
      return node;
    }
    long g = index >> INDEX_TO_GROUP;
    Node[] group = groups.get(g);
    if (group == null) {
      group = new Node[GROUP_NODES];
      groups.put(g, group);
    }
    int n = (int) ((index >> NODE_SHIFT) & (GROUP_NODES - 1));
    node = new Node();
    group[n] = node;
    return node;
  }

  /** The leaf node holding {@code index}'s slot, or null; remembered in {@code hint}. */
  private Node nodeIfAny(long index, Hint hint) {
    long leaf = index >> NODE_SHIFT;
    if (hint.leaf == leaf && hint.map == this) {
      return hint.node;
    }
    Node[] group = groups.get(index >> INDEX_TO_GROUP);
    Node node = group == null ? null : group[(int) (leaf & (GROUP_NODES - 1))];
    if (node != null) {
      hint.map = this;
      hint.leaf = leaf;
      hint.node = node;
    }
    return node;
  }

  Object get(long index) {
    return get(index, last);
  }

  /** The entry at {@code index}, its leaf found through (and remembered in) {@code hint}. */
  Object get(long index, Hint hint) {
    Node node = nodeIfAny(index, hint);
    if (node == null || node.slots == null) {
      return null;
    }
    if (node.slots instanceof Object[] entries) {
      if (entries.length == NODE_SLOTS) {
        Object e = entries[(int) (index & (NODE_SLOTS - 1))];
        return e == null ? null : valueOf(e);
      }
      int i = find(entries, index);
      return i < 0 ? null : valueOf(entries[i]);
    }
    return indexOf(node.slots) == index ? valueOf(node.slots) : null;
  }

  /**
   * Where {@code index} is in {@code entries} (a leaf's, in index order), or
   * {@code -(insertion point) - 1}. The entries are distinct indexes of one leaf, so at most
   * {@code off} of them (the index's offset in the leaf) come before it and at most
   * {@code NODE_SLOTS - 1 - off} after it: the search starts in that window, which is one slot
   * wide in a full leaf, so a lookup there reads no other entry.
   */
  private static int find(Object[] entries, long index) {
    int off = (int) (index & (NODE_SLOTS - 1));
    int lo = Math.max(0, entries.length - NODE_SLOTS + off);
    int hi = Math.min(entries.length - 1, off);
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long at = indexOf(entries[mid]);
      if (at < index) {
        lo = mid + 1;
      } else if (at > index) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -lo - 1;
  }

  /** Stores {@code value} (not null) at {@code index}. */
  void put(long index, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("null entry at " + index);
    }
    Object entry = value instanceof Folio f && f.index() == index ? value
        : new Indexed(index, value);
    Node node = node(index);
    Object slots = node.slots;
    if (slots == null) {
      node.slots = entry;
      size++;
    } else if (slots instanceof Object[] entries) {
      int off = (int) (index & (NODE_SLOTS - 1));
      if (entries.length == NODE_SLOTS) {
        if (entries[off] == null) {
          size++;
        }
        entries[off] = entry;
        return;
      }
      int i = find(entries, index);
      if (i >= 0) {
        entries[i] = entry;
      } else if (entries.length + 1 >= DENSE_MIN) {
        Object[] dense = new Object[NODE_SLOTS];
        for (Object e : entries) {
          dense[(int) (indexOf(e) & (NODE_SLOTS - 1))] = e;
        }
        dense[off] = entry;
        node.slots = dense;
        size++;
      } else {
        int at = -i - 1;
        Object[] grown = new Object[entries.length + 1];
        System.arraycopy(entries, 0, grown, 0, at);
        grown[at] = entry;
        System.arraycopy(entries, at, grown, at + 1, entries.length - at);
        node.slots = grown;
        size++;
      }
    } else {
      long other = indexOf(slots);
      if (other == index) {
        node.slots = entry;
      } else {
        node.slots = other < index ? new Object[] {slots, entry} : new Object[] {entry, slots};
        size++;
      }
    }
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
    long next = from >> INDEX_TO_GROUP;
    long endKey = ((to - 1) >> INDEX_TO_GROUP) + 1;
    while (next < endKey) {
      int m = groups.keysInRange(next, endKey, groupKeys, groupKeys.length);
      for (int j = 0; j < m; j++) {
        for (Node node : groups.get(groupKeys[j])) {
          if (node == null || node.slots == null) {
            continue;
          }
          Object[] entries = node.slots instanceof Object[] a ? a : null;
          int count = entries == null ? 1 : entries.length;
          for (int e = 0; e < count; e++) {
            Object entry = entries == null ? node.slots : entries[e];
            if (entry == null) {
              continue;
            }
            long index = indexOf(entry);
            if (index >= to) {
              return n;
            }
            if (index >= from) {
              out[n++] = index;
              if (n == max) {
                return n;
              }
            }
          }
        }
      }
      if (m < groupKeys.length) {
        break;
      }
      next = groupKeys[m - 1] + 1;
    }
    return n;
  }
}
