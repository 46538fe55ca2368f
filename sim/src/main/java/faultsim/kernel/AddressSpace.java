package faultsim.kernel;

import faultsim.locks.Lock;
import faultsim.locks.LockKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file: its {@code struct inode} and {@code struct address_space} together. Holds
 * {@code i_size}, the page cache ({@code i_pages}: index → folio, or a shadow/swap value entry),
 * the VMAs that map it ({@code i_mmap}), and its locks by lockdep name.
 *
 * <p>Memory grows with what is touched: the page cache is a sparse map, and the pages that are
 * cached when the run starts (a fraction of the file, chosen by a hash of the index so the choice
 * is the same in every design) are created on first lookup.
 */
public final class AddressSpace extends faultsim.machine.Marked {
  // Speculation marks: the page cache and i_size are one piece of marked state.
  private void r() {
    faultsim.machine.Speculation.read(kernel.speculation(), this);
  }

  private void w() {
    faultsim.machine.Speculation.write(kernel.speculation(), this);
  }

  private Object[] designFields;
  /** A value entry in {@code i_pages}: a workingset shadow or, on tmpfs, a swap entry. */
  public record ValueEntry(boolean swap) {}

  private static final Object REMOVED = new Object();

  private final Kernel kernel;
  private final int id;
  private final String name;
  private final FsType fs;
  private long iSizeBytes;
  private final double cachedFraction;
  private final PageMap pages = new PageMap();
  /** Scratch for {@link #entryIndexes}: keys of one batch of the map. */
  private long[] keyBatch = new long[0];
  private final List<Vma> iMmap = new ArrayList<>();
  private final Map<String, LockSlot> locks = new LinkedHashMap<>();
  private final List<long[]> frees = new ArrayList<>();
  private Object iPrivate;
  private faultsim.machine.Device device;

  AddressSpace(Kernel kernel, int id, String name, FsType fs, long sizeBytes,
      double cachedFraction) {
    this.kernel = kernel;
    this.id = id;
    this.name = name;
    this.fs = fs;
    this.iSizeBytes = sizeBytes;
    this.cachedFraction = cachedFraction;
    for (Map.Entry<String, LockField> e : LOCK_FIELDS.entrySet()) {
      locks.put(e.getKey(), new LockSlot(e.getValue().className(), e.getValue().kind()));
    }
  }

  /** A lock field: its lockdep class name and family. */
  public record LockField(String className, LockKind kind) {}

  /**
   * The lock fields of an inode / address_space (and of the file system's private inode) that
   * designs of every era name, with their lockdep names (kernel-paths.md A): {@code i_rwsem}
   * (4.7+), {@code i_mutex} (before), {@code i_sem} (2.4/2.6), {@code invalidate_lock} (5.15+;
   * XFS's MMAPLOCK), {@code i_mmap_rwsem} (3.19+) and {@code i_mmap_mutex} (before),
   * {@code i_pages} (the xarray lock), {@code i_lock}, ext4's {@code i_mmap_sem} (4.5-5.14) and
   * {@code i_data_sem}, the journal handle as lockdep sees it ({@code jbd2_handle}, taken shared
   * by every handle), and the 2003 / 2.6 truncate sequence counts.
   */
  public static final Map<String, LockField> LOCK_FIELDS = lockFieldTable();

  private static Map<String, LockField> lockFieldTable() {
    Map<String, LockField> m = new LinkedHashMap<>();
    m.put("i_rwsem", new LockField("&inode->i_rwsem", LockKind.RWSEM));
    m.put("i_mutex", new LockField("&inode->i_mutex", LockKind.MUTEX));
    m.put("i_sem", new LockField("&inode->i_sem", LockKind.MUTEX));
    m.put("invalidate_lock", new LockField("&mapping->invalidate_lock", LockKind.RWSEM));
    m.put("i_mmap_rwsem", new LockField("&mapping->i_mmap_rwsem", LockKind.RWSEM));
    m.put("i_mmap_mutex", new LockField("&mapping->i_mmap_mutex", LockKind.MUTEX));
    m.put("i_pages", new LockField("&mapping->i_pages", LockKind.SPINLOCK));
    m.put("i_lock", new LockField("&inode->i_lock", LockKind.SPINLOCK));
    m.put("i_mmap_sem", new LockField("&ei->i_mmap_sem", LockKind.RWSEM));
    m.put("i_data_sem", new LockField("&ei->i_data_sem", LockKind.RWSEM));
    m.put("jbd2_handle", new LockField("jbd2_handle", LockKind.RWSEM));
    m.put("truncate_lock", new LockField("&mapping->truncate_lock", LockKind.SEQCOUNT));
    m.put("truncate_count", new LockField("&mapping->truncate_count", LockKind.SEQCOUNT));
    return java.util.Collections.unmodifiableMap(m);
  }

  public int id() {
    return id;
  }

  public String name() {
    return name;
  }

  Kernel kernel() {
    return kernel;
  }

  public FsType fs() {
    return fs;
  }

  /** The names of the lock fields a design may use. */
  public List<String> lockFields() {
    return List.copyOf(locks.keySet());
  }

  /** The lock in field {@code field}, created on first use. */
  public Lock lock(String field) {
    LockSlot s = locks.get(field);
    if (s == null) {
      throw new IllegalArgumentException("address_space has no lock field '" + field + "'");
    }
    return s.get(kernel.locks());
  }

  /** {@code i_size_read}, in bytes. */
  public long iSize() {
    r();
    return iSizeBytes;
  }

  /** {@code i_size_write}. */
  public void setISize(long bytes) {
    w();
    if (bytes < 0) {
      throw new IllegalArgumentException("i_size must be >= 0, was " + bytes);
    }
    iSizeBytes = bytes;
  }

  /** Pages in the file: {@code DIV_ROUND_UP(i_size, PAGE_SIZE)}. */
  public long sizePages() {
    r();
    return (iSizeBytes + Kernel.PAGE_SIZE - 1) / Kernel.PAGE_SIZE;
  }

  private faultsim.locks.WaitQueue fallocWaitq;

  /** The wait queue a tmpfs hole punch publishes for faults into the hole to sleep on. */
  public faultsim.locks.WaitQueue fallocWaitq() {
    if (fallocWaitq == null) {
      fallocWaitq = new faultsim.locks.WaitQueue(kernel.machine(), "shmem_falloc_waitq");
    }
    return fallocWaitq;
  }

  /** The device the file's blocks are read from. */
  public faultsim.machine.Device device() {
    return device;
  }

  public void setDevice(faultsim.machine.Device d) {
    device = d;
  }

  /** {@code inode->i_private}: tmpfs's {@code struct shmem_falloc} while a punch runs. */
  public Object iPrivate() {
    return iPrivate;
  }

  public void setIPrivate(Object o) {
    iPrivate = o;
  }

  /** The VMAs mapping this file ({@code i_mmap}), in the order they were created. */
  public List<Vma> iMmap() {
    return Collections.unmodifiableList(iMmap);
  }

  void addMapping(Vma v) {
    iMmap.add(v);
  }

  void removeMapping(Vma v) {
    iMmap.remove(v);
  }

  // ---- page cache ---------------------------------------------------------------------------

  /** The entry at {@code index}: a {@link Folio}, a {@link ValueEntry}, or null. */
  /** {@code XA_CHUNK_SHIFT}: a leaf node of {@code i_pages} holds 64 slots. */
  public static final int XA_CHUNK_SHIFT = 6;

  /**
   * The cache line of the xarray leaf node holding {@code index}'s slot: a lookup reads it (from
   * memory the first time anyone touches it), a store writes it.
   */
  public faultsim.machine.CacheLine xaNode(long index) {
    return pages.node(index);
  }

  public Object entry(long index) {
    return entry(index, null);
  }

  /**
   * {@link #entry(long)}, finding the leaf node through {@code hint} (a walk's position in the
   * tree, as an {@code xa_state} keeps it) when given.
   */
  public Object entry(long index, PageCacheHint hint) {
    r();
    Object e = hint == null ? pages.get(index) : pages.get(index, hint.hint);
    if (e == null) {
      if (index < sizePages() && initiallyCached(index)) {
        Folio f = new Folio(kernel, this, index, dataGeneration(index));
        f.markUptodate();
        pages.put(index, f);
        return f;
      }
      return null;
    }
    return e == REMOVED ? null : e;
  }

  /** The folio at {@code index}, or null (a value entry is not a folio). */
  public Folio folio(long index) {
    return entry(index) instanceof Folio f ? f : null;
  }

  /** {@link #folio(long)} through a walk's {@code hint}. */
  public Folio folio(long index, PageCacheHint hint) {
    return entry(index, hint) instanceof Folio f ? f : null;
  }

  /**
   * A walk's position in a page cache: the leaf node it last looked in. Lookups through it give
   * the same entries as without it, and skip the levels above the leaf while they stay in it.
   */
  public static final class PageCacheHint {
    private final PageMap.Hint hint = new PageMap.Hint();
  }

  /** Inserts a new folio (locked by the caller, not uptodate) at {@code index}. */
  public Folio addFolio(long index) {
    w();
    if (folio(index) != null) {
      throw new IllegalStateException(name + ": a folio is already cached at index " + index);
    }
    Folio f = new Folio(kernel, this, index, dataGeneration(index));
    pages.put(index, f);
    return f;
  }

  /**
   * {@code filemap_alloc_folio}: a new folio for {@code index}, not yet in the page cache, not
   * uptodate; its data generation is that of the blocks now.
   */
  public Folio newFolio(long index) {
    return new Folio(kernel, this, index, dataGeneration(index));
  }

  /**
   * {@code __filemap_add_folio}: inserts {@code f} at its index; false (nothing changed) if a
   * folio is already there ({@code -EEXIST}). A value entry there is replaced.
   */
  public boolean insertFolio(Folio f) {
    w();
    if (f.mapping() != this) {
      throw new IllegalStateException(f + " does not belong to " + name);
    }
    if (folio(f.index()) != null) {
      return false;
    }
    pages.put(f.index(), f);
    return true;
  }

  /**
   * Up to {@code max} indexes in [{@code start}, {@code end}) that hold an entry (folio or value
   * entry), ascending: one {@code find_get_entries} batch.
   */
  public int entryIndexes(long start, long end, long[] out, int max) {
    r();
    long from = Math.max(0, start);
    int n = 0;
    long inFile = Math.min(end, sizePages());
    if (cachedFraction > 0 && from < inFile) {
      for (long i = from; i < inFile && n < max; i++) {
        if (entry(i) != null) {
          out[n++] = i;
        }
      }
      if (n == max) {
        return n;
      }
      from = inFile;
    }
    if (keyBatch.length < max) {
      keyBatch = new long[max];
    }
    long[] batch = keyBatch;
    while (n < max && from < end) {
      int m = pages.keysInRange(from, end, batch, max);
      for (int i = 0; i < m && n < max; i++) {
        if (pages.get(batch[i]) != REMOVED) {
          out[n++] = batch[i];
        }
      }
      if (m < max) {
        break;
      }
      from = batch[m - 1] + 1;
    }
    return n;
  }

  /** Stores a value entry (shadow or swap) at {@code index}. */
  public void setValueEntry(long index, ValueEntry v) {
    w();
    entry(index);
    pages.put(index, v);
  }

  /** Removes the folio from the page cache ({@code __filemap_remove_folio}). */
  public void removeFolio(Folio f) {
    w();
    if (f.mapping() != this || pages.get(f.index()) != f) {
      throw new IllegalStateException(name + ": " + f + " is not in this page cache");
    }
    pages.put(f.index(), REMOVED);
    f.detach();
  }

  /** Removes a value entry at {@code index}, if one is there. */
  public void removeValueEntry(long index) {
    w();
    if (entry(index) instanceof ValueEntry) {
      pages.put(index, REMOVED);
    }
  }

  /** Entries materialised so far (for memory accounting and tests). */
  public int materialisedEntries() {
    return pages.size();
  }

  private boolean initiallyCached(long index) {
    if (cachedFraction >= 1) {
      return true;
    }
    if (cachedFraction <= 0) {
      return false;
    }
    long h = (index + 0x9E3779B97F4A7C15L * (id + 1)) * 0xBF58476D1CE4E5B9L;
    h ^= h >>> 31;
    return (h >>> 11) * 0x1.0p-53 < cachedFraction;
  }

  // ---- data generations (stale-data oracle) -------------------------------------------------

  /** The blocks of [{@code start}, {@code end}) were freed: their data generation advances. */
  public void freeBlocks(long start, long end) {
    w();
    frees.add(new long[] {start, end});
  }

  /** How many times the block at {@code index} has been freed: its data's generation. */
  public long dataGeneration(long index) {
    long g = 0;
    // Indexed, not an iterator: this runs for every folio a fault creates.
    for (int i = 0, n = frees.size(); i < n; i++) {
      long[] r = frees.get(i);
      if (index >= r[0] && index < r[1]) {
        g++;
      }
    }
    return g;
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
