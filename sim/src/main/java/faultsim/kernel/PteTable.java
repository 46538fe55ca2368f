package faultsim.kernel;

import faultsim.locks.Lock;
import faultsim.locks.LockKind;
import faultsim.machine.CacheLine;
import java.util.Arrays;

/**
 * One page of PTEs: {@code PTRS_PER_PTE} = 512 entries mapping one PMD's worth (2 MiB) of an mm,
 * with its split page-table lock (Documentation/mm/split_page_table_lock.rst; lockdep name
 * {@code ptlock_ptr(ptdesc)}). A present PTE maps a folio; the folio's generation at map time is
 * what the task would read through it.
 */
public final class PteTable extends CacheLine {
  /** {@code PTRS_PER_PTE} on x86-64. */
  public static final int PTRS_PER_PTE = 512;

  /**
   * Entries kept in the sparse form before switching to one 512-entry array: two fault-around
   * windows (16 pages each), so that random faults over a huge file, which rarely land three
   * times in one 2 MiB region, keep small tables.
   */
  static final int SPARSE_MAX = 32;

  private static final Folio[] NO_FOLIOS = {};
  private static final char[] NO_SLOTS = {};
  /** In a sparse entry: the PTE is writable (the slot is in the low 9 bits). */
  private static final char WRITABLE = 0x8000;
  private static final int SLOT_MASK = PTRS_PER_PTE - 1;

  // Random faults over a huge file leave a few PTEs in each of many tables, so a table is small:
  // it is itself the line of its struct ptdesc, where the split PTL lives (made on first use),
  // and keeps its present entries in two arrays of exactly their number until it switches to
  // the dense form. 56 bytes with compressed references, header and line included, plus 6 a
  // present entry and the arrays' headers.
  private final MmStruct mm;
  /**
   * Sparse form: the present entries' folios, the first {@link #present} of the array; dense
   * form (once more than {@link #SPARSE_MAX} have been present): 512 slots, index = slot.
   */
  private Folio[] folios = NO_FOLIOS;
  /** Sparse form: per entry of {@link #folios}, its slot and {@link #WRITABLE}; null when dense. */
  private char[] slots = NO_SLOTS;
  /** Dense form: bit {@code slot} set if that PTE is writable. */
  private long[] writable;
  private Lock ptl;
  private short present;

  PteTable(MmStruct mm) {
    this.mm = mm;
  }

  /** The split PTL of this table, its word on the table's struct ptdesc. */
  public Lock ptl() {
    if (ptl == null) {
      ptl = mm.kernel().locks().create("ptlock_ptr(ptdesc)", LockKind.SPINLOCK, this);
    }
    return ptl;
  }

  /** The split PTL if it has been used, else null. */
  public Lock ptlIfUsed() {
    return ptl;
  }

  private boolean dense() {
    return slots == null;
  }

  public Folio get(int slot) {
    if (dense()) {
      return folios[slot];
    }
    int i = sparseIndex(slot);
    return i < 0 ? null : folios[i];
  }

  public boolean writable(int slot) {
    if (dense()) {
      return (writable[slot >>> 6] & (1L << slot)) != 0;
    }
    int i = sparseIndex(slot);
    return i >= 0 && (slots[i] & WRITABLE) != 0;
  }

  public int present() {
    return present;
  }

  private int sparseIndex(int slot) {
    for (int i = 0; i < present; i++) {
      if ((slots[i] & SLOT_MASK) == slot) {
        return i;
      }
    }
    return -1;
  }

  void set(int slot, Folio f, boolean write) {
    Folio old = get(slot);
    if (old != null) {
      old.unmapped();
      store(slot, f, write);
    } else {
      if (!dense() && present == SPARSE_MAX) {
        densify();
      }
      if (dense()) {
        folios[slot] = f;
        setWritableBit(slot, write);
      } else {
        if (present == folios.length) {
          folios = Arrays.copyOf(folios, present + 1);
          slots = Arrays.copyOf(slots, present + 1);
        }
        folios[present] = f;
        slots[present] = sparseEntry(slot, write);
      }
      present++;
    }
    f.mapped();
  }

  private static char sparseEntry(int slot, boolean write) {
    return (char) (write ? slot | WRITABLE : slot);
  }

  private void store(int slot, Folio f, boolean write) {
    if (dense()) {
      folios[slot] = f;
      setWritableBit(slot, write);
    } else {
      int i = sparseIndex(slot);
      folios[i] = f;
      slots[i] = sparseEntry(slot, write);
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
    Folio[] entries = new Folio[PTRS_PER_PTE];
    writable = new long[PTRS_PER_PTE / 64];
    for (int i = 0; i < present; i++) {
      int slot = slots[i] & SLOT_MASK;
      entries[slot] = folios[i];
      setWritableBit(slot, (slots[i] & WRITABLE) != 0);
    }
    folios = entries;
    slots = null;
  }

  void setWritable(int slot, boolean write) {
    if (get(slot) == null) {
      return;
    }
    store(slot, get(slot), write);
  }

  Folio clear(int slot) {
    Folio f = get(slot);
    if (f == null) {
      return null;
    }
    if (dense()) {
      folios[slot] = null;
      setWritableBit(slot, false);
    } else {
      int i = sparseIndex(slot);
      int last = present - 1;
      folios[i] = folios[last];
      slots[i] = slots[last];
      folios[last] = null;
    }
    present--;
    f.unmapped();
    return f;
  }
}
