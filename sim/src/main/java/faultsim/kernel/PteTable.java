package faultsim.kernel;

import faultsim.locks.Lock;

/**
 * One page of PTEs: {@code PTRS_PER_PTE} = 512 entries mapping one PMD's worth (2 MiB) of an mm,
 * with its split page-table lock (Documentation/mm/split_page_table_lock.rst; lockdep name
 * {@code ptlock_ptr(ptdesc)}). A present PTE maps a folio; the folio's generation at map time is
 * what the task would read through it.
 */
public final class PteTable {
  /** {@code PTRS_PER_PTE} on x86-64. */
  public static final int PTRS_PER_PTE = 512;

  private final MmStruct mm;
  private final long pmdIndex;
  private final Folio[] entries = new Folio[PTRS_PER_PTE];
  private final boolean[] writable = new boolean[PTRS_PER_PTE];
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

  public Folio get(int slot) {
    return entries[slot];
  }

  public boolean writable(int slot) {
    return writable[slot];
  }

  public int present() {
    return present;
  }

  void set(int slot, Folio f, boolean write) {
    if (entries[slot] == null) {
      present++;
    } else {
      entries[slot].unmapped();
    }
    entries[slot] = f;
    writable[slot] = write;
    f.mapped();
  }

  void setWritable(int slot, boolean write) {
    writable[slot] = write;
  }

  Folio clear(int slot) {
    Folio f = entries[slot];
    if (f != null) {
      entries[slot] = null;
      writable[slot] = false;
      present--;
      f.unmapped();
    }
    return f;
  }
}
