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
  /** In an explicit sparse entry: the PTE is writable (the slot is in the low 9 bits). */
  private static final char WRITABLE = 0x8000;
  private static final int SLOT_MASK = PTRS_PER_PTE - 1;

  // Random faults over a huge file leave a few PTEs in each of many tables, so a table is small:
  // it is itself the line of its struct ptdesc, where the split PTL lives (made on first use),
  // and keeps its present entries' folios in an array of exactly their number until it switches
  // to the dense form. Where each is mapped is worked out from its index while every entry is
  // linear (slot = index + a constant, modulo 512: a file folio mapped at its offset in the VMA,
  // an anonymous one created for its address), and written out per entry once one is not. 56
  // bytes with compressed references, header and line included, plus 4 a present entry and the
  // array's header.
  /** The split PTL once used; until then the mm, whose run's locks make it. */
  private Object ptl;
  /**
   * Sparse forms: the present entries' folios, the first {@link #present} of the array; dense
   * form (once more than {@link #SPARSE_MAX} have been present): 512 slots, index = slot.
   */
  private Folio[] folios = NO_FOLIOS;
  /**
   * Linear sparse form: null. Explicit sparse form: a {@code char[]}, per entry of
   * {@link #folios} its slot and {@link #WRITABLE}. Dense form: a {@code long[]} with bit
   * {@code slot} set if that PTE is writable.
   */
  private Object bits;
  /** Linear sparse form: entry {@code i} is at slot {@code (index + linearDelta) mod 512}. */
  private short linearDelta;
  private short present;
  /** Linear sparse form: bit {@code i} set if entry {@code i}'s PTE is writable. */
  private int linearWritable;

  PteTable(MmStruct mm) {
    this.ptl = mm;
  }

  @Override
  public String toString() {
    return "a PTE table";
  }

  // Speculation marks: the entries are marked on the table's line. The mm's lookups pass the
  // run's speculation in, so that a lookup reads nothing of the PTL's lock object.
  private faultsim.machine.Speculation spec() {
    return ptl instanceof MmStruct mm ? mm.kernel().speculation()
        : ((Lock) ptl).speculation();
  }

  /** The split PTL of this table, its word on the table's struct ptdesc. */
  public Lock ptl() {
    if (ptl instanceof MmStruct mm) {
      ptl = mm.kernel().locks().create("ptlock_ptr(ptdesc)", LockKind.SPINLOCK, this);
    }
    return (Lock) ptl;
  }

  /** The split PTL if it has been used, else null. */
  public Lock ptlIfUsed() {
    return ptl instanceof Lock l ? l : null;
  }

  /**
   * Whether {@code l} is this table's split PTL; reads nothing of either lock (until the PTL is
   * made the field holds the mm, which is no lock).
   */
  public boolean isPtl(faultsim.machine.LockInstance l) {
    return l != null && ptl == l;
  }

  private boolean dense() {
    return bits instanceof long[];
  }

  private long[] writable() {
    return (long[]) bits;
  }

  Folio get(int slot, faultsim.machine.Speculation s) {
    faultsim.machine.Speculation.read(s, this);
    if (dense()) {
      return folios[slot];
    }
    int i = sparseIndex(slot);
    return i < 0 ? null : folios[i];
  }

  boolean writable(int slot, faultsim.machine.Speculation s) {
    faultsim.machine.Speculation.read(s, this);
    if (dense()) {
      return (writable()[slot >>> 6] & (1L << slot)) != 0;
    }
    int i = sparseIndex(slot);
    return i >= 0 && writableAt(i);
  }

  public int present() {
    faultsim.machine.Speculation.read(spec(), this);
    return present;
  }

  /** Sparse forms: the slot of entry {@code i}. */
  private int slotAt(int i) {
    if (bits == null) {
      return linearSlot(folios[i]);
    }
    return ((char[]) bits)[i] & SLOT_MASK;
  }

  private int linearSlot(Folio f) {
    return (int) ((f.index() + linearDelta) & SLOT_MASK);
  }

  /** Sparse forms: whether entry {@code i}'s PTE is writable. */
  private boolean writableAt(int i) {
    if (bits == null) {
      return (linearWritable & (1 << i)) != 0;
    }
    return (((char[]) bits)[i] & WRITABLE) != 0;
  }

  private int sparseIndex(int slot) {
    for (int i = 0; i < present; i++) {
      if (slotAt(i) == slot) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Sparse forms: entry {@code i} maps {@code f} at {@code slot}; an entry that is not linear
   * turns the table explicit.
   */
  private void setAt(int i, int slot, Folio f, boolean write) {
    if (bits == null && linearSlot(f) != slot) {
      char[] explicit = new char[folios.length];
      for (int j = 0; j < present; j++) {
        explicit[j] = sparseEntry(slotAt(j), writableAt(j));
      }
      bits = explicit;
    }
    folios[i] = f;
    if (bits == null) {
      linearWritable = write ? linearWritable | (1 << i) : linearWritable & ~(1 << i);
    } else {
      ((char[]) bits)[i] = sparseEntry(slot, write);
    }
  }

  void set(int slot, Folio f, boolean write, faultsim.machine.Speculation s) {
    faultsim.machine.Speculation.write(s, this);
    Folio old = get(slot, s);
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
        if (present == 0 && bits == null) {
          linearDelta = (short) ((slot - f.index()) & SLOT_MASK);
        }
        if (present == folios.length) {
          folios = Arrays.copyOf(folios, present + 1);
          if (bits != null) {
            bits = Arrays.copyOf((char[]) bits, present + 1);
          }
        }
        setAt(present, slot, f, write);
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
      setAt(sparseIndex(slot), slot, f, write);
    }
  }

  private void setWritableBit(int slot, boolean write) {
    long[] writable = writable();
    if (write) {
      writable[slot >>> 6] |= 1L << slot;
    } else {
      writable[slot >>> 6] &= ~(1L << slot);
    }
  }

  private void densify() {
    Folio[] entries = new Folio[PTRS_PER_PTE];
    long[] writable = new long[PTRS_PER_PTE / 64];
    for (int i = 0; i < present; i++) {
      int slot = slotAt(i);
      entries[slot] = folios[i];
      if (writableAt(i)) {
        writable[slot >>> 6] |= 1L << slot;
      }
    }
    folios = entries;
    bits = writable;
    linearWritable = 0;
  }

  void setWritable(int slot, boolean write, faultsim.machine.Speculation s) {
    faultsim.machine.Speculation.write(s, this);
    if (get(slot, s) == null) {
      return;
    }
    store(slot, get(slot, s), write);
  }

  Folio clear(int slot, faultsim.machine.Speculation s) {
    faultsim.machine.Speculation.write(s, this);
    Folio f = get(slot, s);
    if (f == null) {
      return null;
    }
    if (dense()) {
      folios[slot] = null;
      setWritableBit(slot, false);
    } else {
      // The last entry moves into the cleared one's place.
      int i = sparseIndex(slot);
      int last = present - 1;
      setAt(i, slotAt(last), folios[last], writableAt(last));
      folios[last] = null;
      linearWritable &= ~(1 << last);
    }
    present--;
    f.unmapped();
    return f;
  }
}
