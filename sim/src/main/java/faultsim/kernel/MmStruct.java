package faultsim.kernel;

import faultsim.locks.Lock;
import faultsim.locks.LockKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A process's {@code struct mm_struct}: its VMAs, its page tables (PTE pages created on demand,
 * one per touched 2 MiB), {@code mmap_lock} (called {@code mmap_sem} before 5.8; both fields
 * exist so a design of either era names its own), {@code page_table_lock} and
 * {@code mm_lock_seq}.
 */
public final class MmStruct extends faultsim.machine.Marked {
  // Speculation marks: the VMA tree and mm_lock_seq; the PMD directory is marked per slot.
  private void r() {
    faultsim.machine.Speculation.read(kernel.speculation(), this);
  }

  private void w() {
    faultsim.machine.Speculation.write(kernel.speculation(), this);
  }

  private Object[] designFields;
  private final Kernel kernel;
  private final int id;
  private final String name;
  private final List<Vma> vmas = new ArrayList<>();
  /**
   * The PTE pages, {@value #PTE_GROUP} consecutive ones (128 MiB of address space) to an array,
   * the arrays by {@code address / 128 MiB}: a process faulting all over a huge mapping fills
   * most of every array, at 4 bytes a table rather than a hash table's 12 to 24.
   */
  private final LongMap<PteTable[]> pteTables = new LongMap<>();
  private static final int PTE_GROUP_SHIFT = 6;
  private static final int PTE_GROUP = 1 << PTE_GROUP_SHIFT;
  /**
   * The group last found, by its key ({@code address / 128 MiB}; none before the first): a
   * fault and its fault-around look up tables of one group over and over. Groups are never taken
   * out, so a group found stays the right one.
   */
  private long lastGroupKey = Long.MIN_VALUE;
  private PteTable[] lastGroup;
  private int pteTableCount;
  /**
   * For {@link #findVma}: the VMAs in order of their start and those starts, so that a lookup is
   * a binary search however many tasks map their own VMA in the process; null from a change to
   * the VMAs until the next lookup builds it again. Empty, and the list searched instead, if two
   * VMAs overlap (nothing maps them so; the list's first match is then the answer).
   */
  private Vma[] byStart;
  private long[] starts;
  private boolean overlapping;
  /** Split PMD locks, one per PMD page (1 GiB of address space), created on first use. */
  private final LongMap<LockSlot> pmdLocks = new LongMap<>();
  private final LockSlot mmapLock = new LockSlot("&mm->mmap_lock", LockKind.RWSEM);
  private final LockSlot mmapSem = new LockSlot("&mm->mmap_sem", LockKind.RWSEM);
  private final LockSlot pageTableLock = new LockSlot("&mm->page_table_lock", LockKind.SPINLOCK);
  private long mmLockSeq;
  private final faultsim.machine.CacheLine mmLockSeqLine = new faultsim.machine.CacheLine();
  private long nextFree = 0x7f00_0000_0000L;

  MmStruct(Kernel kernel, int id, String name) {
    this.kernel = kernel;
    this.id = id;
    this.name = name;
  }

  public Kernel kernel() {
    return kernel;
  }

  public int id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Lock mmapLock() {
    return mmapLock.get(kernel.locks());
  }

  public Lock mmapSem() {
    return mmapSem.get(kernel.locks());
  }

  public Lock pageTableLock() {
    return pageTableLock.get(kernel.locks());
  }

  /** {@code mmap_lock} if any task has used it, else null. */
  public Lock mmapLockIfUsed() {
    return mmapLock.peek();
  }

  /** {@code mmap_sem} if any task has used it, else null. */
  public Lock mmapSemIfUsed() {
    return mmapSem.peek();
  }

  /** {@code page_table_lock} if any task has used it, else null. */
  public Lock pageTableLockIfUsed() {
    return pageTableLock.peek();
  }

  /** {@code mm->mm_lock_seq}: advanced by {@code mmap_write_unlock} (vma_end_write_all). */
  /** The cache line of {@code mm_lock_seq}. */
  public faultsim.machine.CacheLine mmLockSeqLine() {
    return mmLockSeqLine;
  }

  public long mmLockSeq() {
    r();
    return mmLockSeq;
  }

  public void advanceMmLockSeq() {
    w();
    mmLockSeq++;
  }

  public List<Vma> vmas() {
    r();
    return Collections.unmodifiableList(vmas);
  }

  /**
   * {@code mmap()}: maps {@code lengthBytes} of {@code file} from page {@code pgoff} (or
   * anonymous memory if {@code file} is null) at the next free 2 MiB-aligned address.
   */
  public Vma mmap(AddressSpace file, long pgoff, long lengthBytes, boolean shared) {
    w();
    if (lengthBytes <= 0 || lengthBytes % Kernel.PAGE_SIZE != 0) {
      throw new IllegalArgumentException("mmap length must be a positive multiple of the page"
          + " size, was " + lengthBytes);
    }
    long start = nextFree;
    long end = start + lengthBytes;
    nextFree = (end + Kernel.PMD_SIZE - 1) / Kernel.PMD_SIZE * Kernel.PMD_SIZE + Kernel.PMD_SIZE;
    Vma v = new Vma(this, start, end, file, pgoff, shared);
    vmas.add(v);
    byStart = null;
    if (file != null) {
      file.addMapping(v);
    }
    return v;
  }

  /**
   * {@code mmap(MAP_FIXED)} over a range with no VMA in it (the range of a VMA unmapped before):
   * the new VMA is at {@code start}.
   */
  public Vma mmapAt(long start, AddressSpace file, long pgoff, long lengthBytes, boolean shared) {
    w();
    if (start % Kernel.PAGE_SIZE != 0 || lengthBytes <= 0 || lengthBytes % Kernel.PAGE_SIZE != 0) {
      throw new IllegalArgumentException("mmap at " + Long.toHexString(start) + " of "
          + lengthBytes + " bytes: not page aligned");
    }
    for (Vma v : vmas) {
      if (v.start() < start + lengthBytes && start < v.end()) {
        throw new IllegalArgumentException("mmap at " + Long.toHexString(start) + " overlaps "
            + v);
      }
    }
    Vma v = new Vma(this, start, start + lengthBytes, file, pgoff, shared);
    vmas.add(v);
    byStart = null;
    if (file != null) {
      file.addMapping(v);
    }
    return v;
  }

  /** {@code munmap()} of a whole VMA: its PTEs are cleared and it leaves the tree. */
  public void munmap(Vma v) {
    w();
    if (!vmas.remove(v)) {
      throw new IllegalArgumentException(v + " is not mapped in " + name);
    }
    byStart = null;
    for (long a = v.start(); a < v.end(); a += Kernel.PAGE_SIZE) {
      clearPte(a);
    }
    if (v.file() != null) {
      v.file().removeMapping(v);
    }
    v.detach();
  }

  /**
   * {@code __split_vma}: {@code v} is cut at {@code addr}; the new VMA (a copy of {@code v})
   * takes the part below {@code addr} if {@code newBelow}, else the part above, and enters the
   * tree; {@code v} keeps the rest. Returns the new VMA.
   */
  public Vma splitVma(Vma v, long addr, boolean newBelow) {
    w();
    if (!vmas.contains(v) || addr <= v.start() || addr >= v.end()
        || addr % Kernel.PAGE_SIZE != 0) {
      throw new IllegalArgumentException("cannot split " + v + " at " + Long.toHexString(addr));
    }
    Vma n;
    if (newBelow) {
      n = v.dup(v.start(), addr);
      v.setRange(addr, v.end());
    } else {
      n = v.dup(addr, v.end());
      v.setRange(v.start(), addr);
    }
    vmas.add(n);
    byStart = null;
    if (n.file() != null) {
      n.file().addMapping(n);
    }
    return n;
  }

  /**
   * {@code vma_merge} / {@code vma_expand}: {@code prev} grows over {@code next}, which leaves
   * the tree detached; the PTEs of {@code next}'s range stay, now in {@code prev}'s.
   */
  public void mergeVmas(Vma prev, Vma next) {
    w();
    if (!vmas.contains(prev) || !vmas.contains(next) || !prev.mergeableWith(next)) {
      throw new IllegalArgumentException("cannot merge " + prev + " and " + next);
    }
    prev.setRange(prev.start(), next.end());
    if (next.hasAnonVma()) {
      prev.setAnonVma();
    }
    vmas.remove(next);
    byStart = null;
    if (next.file() != null) {
      next.file().removeMapping(next);
    }
    next.detach();
  }

  /**
   * Whether {@code v} can grow to end at {@code end} in place ({@code vma_expandable} of
   * mm/mremap.c): no other VMA in [{@code v.end()}, {@code end}).
   */
  public boolean expandable(Vma v, long end) {
    r();
    for (Vma o : vmas) {
      if (o != v && o.start() < end && v.end() < o.end()) {
        return false;
      }
    }
    return end > v.end() && end % Kernel.PAGE_SIZE == 0;
  }

  /**
   * {@code vma_expand}: {@code v} grows over the free range up to {@code end} (an in-place
   * mremap to a larger length); the new range has no PTEs yet.
   */
  public void expandVma(Vma v, long end) {
    w();
    if (!vmas.contains(v) || !expandable(v, end)) {
      throw new IllegalArgumentException("cannot expand " + v + " to " + Long.toHexString(end));
    }
    v.setRange(v.start(), end);
    byStart = null;
  }

  /** {@code find_vma}: the VMA containing {@code address}, or null. */
  public Vma findVma(long address) {
    r();
    Vma[] sorted = byStart;
    if (sorted == null) {
      sorted = sortByStart();
    }
    if (overlapping) {
      for (Vma v : vmas) {
        if (v.contains(address)) {
          return v;
        }
      }
      return null;
    }
    long[] s = starts;
    // The last VMA starting at or below the address: VMAs do not overlap, so no other can hold it.
    int lo = 0;
    int hi = sorted.length - 1;
    int at = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (s[mid] <= address) {
        at = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return at >= 0 && sorted[at].contains(address) ? sorted[at] : null;
  }

  private Vma[] sortByStart() {
    Vma[] sorted = vmas.toArray(new Vma[0]);
    java.util.Arrays.sort(sorted, java.util.Comparator.comparingLong(Vma::start));
    long[] s = new long[sorted.length];
    overlapping = false;
    for (int i = 0; i < sorted.length; i++) {
      s[i] = sorted[i].start();
      overlapping |= i > 0 && s[i] < sorted[i - 1].end();
    }
    starts = s;
    byStart = sorted;
    return sorted;
  }

  /** The PTE page covering {@code address}, or null if none has been allocated. */
  public PteTable pteTable(long address) {
    long pmd = address / Kernel.PMD_SIZE;
    PteTable[] group = group(pmd >> PTE_GROUP_SHIFT);
    PteTable t = group == null ? null : group[(int) (pmd & (PTE_GROUP - 1))];
    if (t == null) {
      // That there is none depends on this slot of the directory; a table that is there, on
      // itself (its entries are marked on its line).
      faultsim.machine.Speculation s = kernel.speculation();
      if (s != null) {
        s.read(pmdSlotMark(pmd));
      }
    }
    return t;
  }

  /** The group of PTE pages under {@code key}, or null if none has been made. */
  private PteTable[] group(long key) {
    if (key == lastGroupKey) {
      return lastGroup;
    }
    PteTable[] g = pteTables.get(key);
    if (g != null) {
      lastGroupKey = key;
      lastGroup = g;
    }
    return g;
  }

  /** Speculation marks of the PMD slots looked at while empty, made when first needed. */
  private java.util.Map<Long, faultsim.machine.Marked> pmdSlotMarks;

  private faultsim.machine.Marked pmdSlotMark(long pmd) {
    if (pmdSlotMarks == null) {
      pmdSlotMarks = new java.util.HashMap<>();
    }
    return pmdSlotMarks.computeIfAbsent(pmd, p -> new faultsim.machine.Marked() {
      @Override
      public String toString() {
        return name + "'s PMD slot " + p;
      }
    });
  }

  /** {@code pte_alloc}: the PTE page covering {@code address}, allocated if missing. */
  public PteTable pteAlloc(long address) {
    long pmd = address / Kernel.PMD_SIZE;
    PteTable[] group = group(pmd >> PTE_GROUP_SHIFT);
    if (group == null) {
      group = new PteTable[PTE_GROUP];
      pteTables.put(pmd >> PTE_GROUP_SHIFT, group);
    }
    int i = (int) (pmd & (PTE_GROUP - 1));
    if (group[i] == null) {
      faultsim.machine.Speculation s = kernel.speculation();
      if (s != null) {
        s.write(pmdSlotMark(pmd));
      }
      group[i] = new PteTable(this);
      pteTableCount++;
    }
    return group[i];
  }

  /**
   * {@code pmd_lockptr()}: the split lock of the PMD page covering {@code address}
   * (USE_SPLIT_PMD_PTLOCKS, as x86-64 builds it; include/linux/mm.h). Its lockdep class is that
   * of every split page-table lock, {@code ptlock_ptr(ptdesc)}.
   */
  public Lock pmdLock(long address) {
    long pmdPage = address / (Kernel.PMD_SIZE * PteTable.PTRS_PER_PTE);
    LockSlot s = pmdLocks.get(pmdPage);
    if (s == null) {
      s = new LockSlot("ptlock_ptr(ptdesc)", LockKind.SPINLOCK);
      pmdLocks.put(pmdPage, s);
    }
    return s.get(kernel.locks());
  }

  /** Number of PTE pages allocated. */
  public int pteTables() {
    return pteTableCount;
  }

  /** The folio mapped at {@code address}, or null ({@code pte_none}). */
  public Folio pte(long address) {
    PteTable t = pteTable(address);
    return t == null ? null : t.get(slot(address), kernel.speculation());
  }

  public boolean pteWritable(long address) {
    PteTable t = pteTable(address);
    return t != null && t.writable(slot(address), kernel.speculation());
  }

  /** {@code set_pte_at}: maps {@code f} at {@code address}. */
  public void setPte(long address, Folio f, boolean write) {
    pteAlloc(address).set(slot(address), f, write, kernel.speculation());
  }

  /** Makes a present PTE writable ({@code wp_page_reuse}). */
  public void setPteWritable(long address) {
    PteTable t = pteTable(address);
    if (t == null || t.get(slot(address), kernel.speculation()) == null) {
      throw new IllegalStateException("no PTE at " + Long.toHexString(address));
    }
    t.setWritable(slot(address), true, kernel.speculation());
  }

  /** Sets or clears the write bit of a present PTE ({@code change_pte_range}). */
  public void setPteWriteBit(long address, boolean write) {
    PteTable t = pteTable(address);
    if (t != null) {
      t.setWritable(slot(address), write, kernel.speculation());
    }
  }

  /** {@code ptep_clear}: unmaps whatever is at {@code address}; returns it. */
  public Folio clearPte(long address) {
    PteTable t = pteTable(address);
    return t == null ? null : t.clear(slot(address), kernel.speculation());
  }

  /** The PTE index of {@code address} in its table. */
  public static int slot(long address) {
    return (int) ((address / Kernel.PAGE_SIZE) % PteTable.PTRS_PER_PTE);
  }

  @Override
  public String toString() {
    return name;
  }

  /** The fields a design declares on this structure, at least {@code size} slots. */
  public Object[] designFields(int size) {
    designFields = DesignFields.grow(designFields, size);
    return designFields;
  }
}
