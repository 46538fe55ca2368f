package faultsim.kernel;

import faultsim.locks.Lock;

/**
 * One page of PTEs: {@code PTRS_PER_PTE} = 512 entries mapping one PMD's worth (2 MiB) of an mm,
 * with its split page-table lock (Documentation/mm/split_page_table_lock.rst; lockdep name
 * {@code ptlock_ptr(ptdesc)}). A present PTE maps a folio; the folio's generation at map time is
 * what the task would read through it.
 */
public final class PteTable extends faultsim.machine.Marked {
  private void r() {
    faultsim.machine.Speculation.read(mm.kernel().speculation(), this);
  }

  private void w() {
    faultsim.machine.Speculation.write(mm.kernel().speculation(), this);
  }

  /** {@code PTRS_PER_PTE} on x86-64. */
  public static final int PTRS_PER_PTE = 512;

  private final MmStruct mm;
  private final long pmdIndex;
  /** Dense form, once more than {@link #SPARSE_MAX} entries are present: index = slot. */
  private Folio[] entries;
  /** Dense form: bit {@code slot} of the bitmap set if that PTE is writable. */
  private long[] writable;
  /** Sparse form while few entries are present (random faults over a huge file). */
  private short[] sparseSlots = new short[4];
  private Folio[] sparseFolios = new Folio[4];
  private boolean[] sparseWritable = new boolean[4];
  private final LockSlot ptl = new LockSlot("ptlock_ptr(ptdesc)", faultsim.locks.LockKind.SPINLOCK);
  private int present;

  PteTable(MmStruct mm, long pmdIndex) {
    this.mm = mm;
    this.pmdIndex = pmdIndex;
  }

  public long pmdIndex() {
    return pmdIndex;
  }

  /** The split PTL of this table. */
  public Lock ptl() {
    return ptl.get(mm.kernel().locks());
  }

  /** The split PTL if it has been used, else null. */
  public Lock ptlIfUsed() {
    return ptl.peek();
  }

  /**
   * Entries kept in the sparse form before switching to one 512-entry array: two fault-around
   * windows (16 pages each), so that random faults over a huge file, which rarely land three
   * times in one 2 MiB region, keep small tables.
   */
  static final int SPARSE_MAX = 32;

  public Folio get(int slot) {
    r();
    if (entries != null) {
      return entries[slot];
    }
    int i = sparseIndex(slot);
    return i < 0 ? null : sparseFolios[i];
  }

  public boolean writable(int slot) {
    r();
    if (entries != null) {
      return (writable[slot >>> 6] & (1L << slot)) != 0;
    }
    int i = sparseIndex(slot);
    return i >= 0 && sparseWritable[i];
  }

  public int present() {
    r();
    return present;
  }

  private int sparseIndex(int slot) {
    for (int i = 0; i < present; i++) {
      if (sparseSlots[i] == slot) {
        return i;
      }
    }
    return -1;
  }

  void set(int slot, Folio f, boolean write) {
    w();
    Folio old = get(slot);
    if (old != null) {
      old.unmapped();
      store(slot, f, write);
    } else {
      if (entries == null && present == SPARSE_MAX) {
        densify();
      }
      if (entries == null) {
        if (present == sparseSlots.length) {
          int n = present * 2;
          sparseSlots = java.util.Arrays.copyOf(sparseSlots, n);
          sparseFolios = java.util.Arrays.copyOf(sparseFolios, n);
          sparseWritable = java.util.Arrays.copyOf(sparseWritable, n);
        }
        sparseSlots[present] = (short) slot;
        sparseFolios[present] = f;
        sparseWritable[present] = write;
      } else {
        entries[slot] = f;
        setWritableBit(slot, write);
      }
      present++;
    }
    f.mapped();
  }

  private void store(int slot, Folio f, boolean write) {
    if (entries != null) {
      entries[slot] = f;
      setWritableBit(slot, write);
    } else {
      int i = sparseIndex(slot);
      sparseFolios[i] = f;
      sparseWritable[i] = write;
    }
  }

  private void setWritableBit(int slot, boolean write) {
    if (write) {
      writable[slot >>> 6] |= 1L << slot;
    } else {
      writable[slot >>> 6] &= ~(1L << slot);
    }
  }

  private void densify() {
    entries = new Folio[PTRS_PER_PTE];
    writable = new long[PTRS_PER_PTE / 64];
    for (int i = 0; i < present; i++) {
      entries[sparseSlots[i]] = sparseFolios[i];
      setWritableBit(sparseSlots[i], sparseWritable[i]);
    }
    sparseSlots = null;
    sparseFolios = null;
    sparseWritable = null;
  }

  void setWritable(int slot, boolean write) {
    w();
    if (get(slot) == null) {
      return;
    }
    store(slot, get(slot), write);
  }

  Folio clear(int slot) {
    w();
    Folio f = get(slot);
    if (f == null) {
      return null;
    }
    if (entries != null) {
      entries[slot] = null;
      setWritableBit(slot, false);
    } else {
      int i = sparseIndex(slot);
      int last = present - 1;
      sparseSlots[i] = sparseSlots[last];
      sparseFolios[i] = sparseFolios[last];
      sparseWritable[i] = sparseWritable[last];
      sparseFolios[last] = null;
    }
    present--;
    f.unmapped();
    return f;
  }
}
