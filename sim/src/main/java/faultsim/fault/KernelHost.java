package faultsim.fault;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.PteTable;
import faultsim.kernel.Vma;
import faultsim.lang.Cursor;
import faultsim.lang.Host;
import faultsim.lang.RunEnv;
import faultsim.lang.Type;
import faultsim.locks.Lock;
import faultsim.machine.HeldLock;
import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import static faultsim.fault.KernelCosts.Cost.*;

/**
 * The kernel model as designs see it: the types {@code mm_struct}, {@code vm_area_struct},
 * {@code address_space}, {@code folio} and {@code vm_fault} with their fields, the
 * {@code VM_FAULT_*}, {@code FAULT_FLAG_*} and vmstat constants, the global
 * {@code fault_around_bytes}, and the primitives that read and change kernel state, each named as
 * in the kernel and charged from {@link KernelCosts} and the machine's cache-line model. Every
 * primitive that changes a PTE or the page cache checks that the design holds the lock the kernel
 * requires for it, so a design that forgets one fails with its file and line.
 *
 * <p>The primitives are registered by one class per kernel source they model, so a developer
 * finds a primitive where the kernel keeps it: {@link MmPrimitives} (the fault entry, VMA lookup,
 * mm/mmap.c), {@link FilemapPrimitives} (mm/filemap.c), {@link MemoryPrimitives} (page tables,
 * mm/memory.c and mm/rmap.c), {@link FsPrimitives} (the file systems' side),
 * {@link ShmemPrimitives} (tmpfs swap entries), {@link ReadaheadPrimitives} (mm/readahead.c),
 * {@link ApiPrimitives} (the lock wrappers of include/linux) and {@link VmaPrimitives} (VMA
 * changes: mm/vma.c, mm/mprotect.c, mm/madvise.c). This class keeps the types, fields and
 * constants, and the helpers they share.
 */
public final class KernelHost {
  /** {@code VM_FAULT_*} (include/linux/mm_types.h). */
  public static final long VM_FAULT_OOM = 0x000001;
  public static final long VM_FAULT_SIGBUS = 0x000002;
  public static final long VM_FAULT_MAJOR = 0x000004;
  public static final long VM_FAULT_SIGSEGV = 0x000040;
  public static final long VM_FAULT_NOPAGE = 0x000100;
  public static final long VM_FAULT_LOCKED = 0x000200;
  public static final long VM_FAULT_RETRY = 0x000400;
  public static final long VM_FAULT_FALLBACK = 0x000800;
  public static final long VM_FAULT_DONE_COW = 0x001000;
  public static final long VM_FAULT_COMPLETED = 0x004000;

  /** vmstat events designs count with {@code count_vm_event}, by their constant's value. */
  static final List<String> VM_EVENTS = List.of("PGFAULT", "PGMAJFAULT", "VMA_LOCK_SUCCESS",
      "VMA_LOCK_ABORT", "VMA_LOCK_RETRY", "VMA_LOCK_MISS");

  /** Past every page index: {@code (loff_t)-1} as an end for truncate. */
  public static final long LAST_INDEX = 1L << 52;

  /** Folios per {@code find_get_entries} batch ({@code PAGEVEC_SIZE} / folio_batch). */
  static final int BATCH = 31;

  private KernelHost() {}

  /** A host with the core primitives and the kernel model. */
  public static Host create() {
    Host h = Host.withCorePrimitives();
    new Builder(h).build();
    return h;
  }

  private static final class Builder {
    final Host h;
    final Type spinlock;
    final Type mutex;
    final Type rwsem;
    final Type seqcount;
    final Type waitQueue;
    Type mm;
    Type vma;
    Type mapping;
    Type folio;
    Type vmf;
    Type folioCursor;
    Type vmaCursor;

    Builder(Host h) {
      this.h = h;
      spinlock = h.type("spinlock_t");
      mutex = h.type("mutex");
      rwsem = h.type("rw_semaphore");
      seqcount = h.type("seqcount_t");
      waitQueue = h.type("wait_queue_head");
    }

    KernelTypes kernelTypes() {
      return new KernelTypes(h, spinlock, mutex, rwsem, seqcount, waitQueue, mm, vma, mapping,
          folio, vmf, folioCursor, vmaCursor);
    }

    void build() {
      types();
      KernelTypes k = kernelTypes();
      constants();
      MmPrimitives.addTo(k);
      FilemapPrimitives.addTo(k);
      MemoryPrimitives.addTo(k);
      FsPrimitives.addTo(k);
      ShmemPrimitives.addTo(k);
      ReadaheadPrimitives.addTo(k);
      ApiPrimitives.addTo(h, mm, mapping, folio);
      VmaPrimitives.addTo(h, mm, vma, mapping);
    }

    void types() {
      mm = h.defineType("mm_struct", MmStruct.class);
      vma = h.defineType("vm_area_struct", Vma.class);
      mapping = h.defineType("address_space", AddressSpace.class);
      h.typeAlias("inode", mapping);
      folio = h.defineType("folio", Folio.class);
      vmf = h.defineType("vm_fault", VmFault.class);
      folioCursor = h.cursorType("folio_batch", folio);
      vmaCursor = h.cursorType("vma_interval_tree", vma);
      h.typeAlias("gfp_t", Type.INT);
      h.typeAlias("vm_flags_t", Type.INT);

      h.field(mm, "mmap_lock", rwsem, o -> ((MmStruct) o).mmapLock());
      h.field(mm, "mmap_sem", rwsem, o -> ((MmStruct) o).mmapSem());
      h.field(mm, "page_table_lock", spinlock, o -> ((MmStruct) o).pageTableLock());
      h.lockClass(mm, "mmap_lock", "&mm->mmap_lock");
      h.lockClass(mm, "mmap_sem", "&mm->mmap_sem");
      h.lockClass(mm, "page_table_lock", "&mm->page_table_lock");
      h.fieldAliases(mm, "mmap_sem was renamed mmap_lock in 5.8", "mmap_lock", "mmap_sem");
      h.intField(mm, "mm_lock_seq", o -> ((MmStruct) o).mmLockSeq());

      h.field(vma, "vm_mm", mm, o -> ((Vma) o).mm());
      h.field(vma, "vm_file", mapping, o -> ((Vma) o).file());
      h.intField(vma, "vm_start", o -> ((Vma) o).start());
      h.intField(vma, "vm_end", o -> ((Vma) o).end());
      h.intField(vma, "vm_pgoff", o -> ((Vma) o).pgoff());
      h.intField(vma, "vm_flags", o -> ((Vma) o).vmFlags());
      h.field(vma, "vm_lock", rwsem, o -> ((Vma) o).vmLock());
      h.lockClass(vma, "vm_lock", "&vma->vm_lock");
      h.intField(vma, "vm_lock_seq", o -> ((Vma) o).vmLockSeq(),
          (o, v) -> ((Vma) o).setVmLockSeq((Long) v));
      h.field(vma, "anon_vma", Type.BOOL, o -> ((Vma) o).hasAnonVma());
      h.field(vma, "detached", Type.BOOL, o -> ((Vma) o).detached());

      for (Map.Entry<String, AddressSpace.LockField> e : AddressSpace.LOCK_FIELDS.entrySet()) {
        String f = e.getKey();
        h.field(mapping, f, kernelTypes().lockType(e.getValue().kind()), o -> ((AddressSpace) o).lock(f));
        h.lockClass(mapping, f, e.getValue().className());
      }
      h.intField(mapping, "fs", o -> (long) ((AddressSpace) o).fs().ordinal() + 1);
      h.field(mapping, "falloc_waitq", waitQueue, o -> ((AddressSpace) o).fallocWaitq());
      h.intField(mapping, "nrpages", o -> ((AddressSpace) o).sizePages());

      h.intField(folio, "index", o -> ((Folio) o).index());
      h.field(folio, "mapping", mapping, o -> ((Folio) o).mapping());
      h.boolField(folio, "uptodate", o -> ((Folio) o).uptodate());
      h.boolField(folio, "locked", o -> ((Folio) o).isLocked());
      h.boolField(folio, "dirty", o -> ((Folio) o).dirty());
      h.boolField(folio, "readahead", o -> ((Folio) o).readahead());
      h.boolField(folio, "writeback", o -> ((Folio) o).writeback());
      h.boolField(folio, "anon", o -> ((Folio) o).isAnon());

      h.field(vmf, "vma", vma, o -> ((VmFault) o).vma());
      h.intField(vmf, "address", o -> ((VmFault) o).address());
      h.intField(vmf, "pgoff", o -> ((VmFault) o).pgoff());
      h.intField(vmf, "vma_flags", o -> ((VmFault) o).vmaFlags());
      h.intField(vmf, "flags", o -> ((VmFault) o).flags(),
          (o, v) -> ((VmFault) o).setFlags((Long) v));
      h.field(vmf, "folio", folio, o -> ((VmFault) o).folio(),
          (o, v) -> ((VmFault) o).setFolio((Folio) v));

      h.objectLockClass(folio, "PG_locked");
      h.resultLockClass("pte_lockptr", "ptlock_ptr(ptdesc)");
      h.extensible("mm_struct", mm, "mm", (o, n) -> ((MmStruct) o).designFields(n));
      h.extensible("vm_area_struct", vma, "vma", (o, n) -> ((Vma) o).designFields(n));
      h.extensible("address_space", mapping, "mapping",
          (o, n) -> ((AddressSpace) o).designFields(n));
      h.extensible("inode", mapping, "inode", (o, n) -> ((AddressSpace) o).designFields(n));
      h.extensible("folio", folio, "folio", (o, n) -> ((Folio) o).designFields(n));
      h.extensible("vm_fault", vmf, "vmf", (o, n) -> ((VmFault) o).designFields(n));
      h.enumeratorMacro("DEFINE_VM_EVENT", VM_EVENTS.size());

      h.global("fault_around_bytes", Type.INT,
          env -> env.context(KernelContext.class).faultAroundBytes());
    }

    void constants() {
      h.constant("VM_FAULT_OOM", VM_FAULT_OOM);
      h.constant("VM_FAULT_SIGBUS", VM_FAULT_SIGBUS);
      h.constant("VM_FAULT_MAJOR", VM_FAULT_MAJOR);
      h.constant("VM_FAULT_SIGSEGV", VM_FAULT_SIGSEGV);
      h.constant("VM_FAULT_NOPAGE", VM_FAULT_NOPAGE);
      h.constant("VM_FAULT_LOCKED", VM_FAULT_LOCKED);
      h.constant("VM_FAULT_RETRY", VM_FAULT_RETRY);
      h.constant("VM_FAULT_FALLBACK", VM_FAULT_FALLBACK);
      h.constant("VM_FAULT_DONE_COW", VM_FAULT_DONE_COW);
      h.constant("VM_FAULT_COMPLETED", VM_FAULT_COMPLETED);
      h.constant("VM_FAULT_ERROR", VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV
          | 0x10 | 0x20 | VM_FAULT_FALLBACK);
      h.constant("FAULT_FLAG_WRITE", 0x1);
      h.constant("FAULT_FLAG_MKWRITE", 0x2);
      h.constant("FAULT_FLAG_ALLOW_RETRY", 0x4);
      h.constant("FAULT_FLAG_RETRY_NOWAIT", 0x8);
      h.constant("FAULT_FLAG_KILLABLE", 0x10);
      h.constant("FAULT_FLAG_TRIED", 0x20);
      h.constant("FAULT_FLAG_USER", 0x40);
      h.constant("FAULT_FLAG_INTERRUPTIBLE", 0x200);
      h.constant("FAULT_FLAG_VMA_LOCK", 0x1000);
      h.constant("VM_READ", 0x1);
      h.constant("VM_WRITE", 0x2);
      h.constant("VM_SHARED", 0x8);
      h.constant("FALLOC_FL_KEEP_SIZE", 0x1);
      h.constant("FALLOC_FL_PUNCH_HOLE", 0x2);
      h.constant("PAGE_SIZE", Kernel.PAGE_SIZE);
      h.constant("LAST_INDEX", LAST_INDEX);
      h.constant("PAGE_SHIFT", 12);
      h.constant("PMD_SIZE", Kernel.PMD_SIZE);
      h.constant("PTRS_PER_PTE", PteTable.PTRS_PER_PTE);
      h.constant("FS_EXT4", 1);
      h.constant("FS_XFS", 2);
      h.constant("FS_TMPFS", 3);
      h.constant("FS_DAX", 4);
      for (int i = 0; i < VM_EVENTS.size(); i++) {
        h.constant(VM_EVENTS.get(i), i);
      }
    }
  }

  /** {@code struct readahead_control}: the new, locked folios of one readahead batch. */
  static final class Readahead {
    final AddressSpace mapping;
    final List<Folio> folios = new ArrayList<>();

    Readahead(AddressSpace mapping) {
      this.mapping = mapping;
    }

    @Override
    public String toString() {
      return "ractl(" + mapping.name() + ", " + folios.size() + " folios)";
    }
  }

  /** tmpfs's on-stack {@code struct shmem_falloc}: a punch in progress over [start, next). */
  record ShmemFalloc(long start, long next) {
    boolean covers(long index) {
      return index >= start && index < next;
    }
  }

  /**
   * One entry of {@code i_pages} as a lookup found it: a folio, or a swap entry ({@code value}),
   * at {@code index} of {@code mapping}.
   */
  record PagecacheEntry(AddressSpace mapping, long index, AddressSpace.ValueEntry value,
      Folio folio) {}

  /**
   * {@code find_get_entries}: the folios and swap entries of [start, end), gathered
   * {@value #BATCH} at a time, each as it was when its batch was gathered; one xarray step each.
   * Shadow entries are skipped.
   */
  static final class EntryBatchCursor implements Cursor {
    private final AddressSpace mapping;
    private final long end;
    private long next;
    private final long[] batch = new long[BATCH];
    private final PagecacheEntry[] entries = new PagecacheEntry[BATCH];
    private int n;
    private int i;

    private final XaWalk walk = new XaWalk();
    /** The walk's leaf node, as {@code xas_next_entry} keeps its place in the tree. */
    private final AddressSpace.PageCacheHint hint = new AddressSpace.PageCacheHint();

    EntryBatchCursor(AddressSpace mapping, long start, long end) {
      this.mapping = mapping;
      this.next = start;
      this.end = end;
    }

    @Override
    public Object next(RunEnv env, Task t) {
      while (i == n) {
        if (next >= end) {
          return null;
        }
        i = 0;
        n = 0;
        int got = mapping.entryIndexes(next, end, batch, BATCH);
        if (got == 0) {
          next = end;
          return null;
        }
        next = batch[got - 1] + 1;
        for (int k = 0; k < got; k++) {
          Object e = mapping.entry(batch[k], hint);
          if (e instanceof Folio f) {
            entries[n++] = new PagecacheEntry(mapping, batch[k], null, f);
          } else if (e instanceof AddressSpace.ValueEntry v && v.swap()) {
            entries[n++] = new PagecacheEntry(mapping, batch[k], v, null);
          }
        }
      }
      PagecacheEntry e = entries[i++];
      t.busy(walk.step(env, t, mapping, e.index()));
      return e;
    }
  }

  /**
   * What a range walk of {@code i_pages} costs as it goes: {@code xa_walk_start} for the descent
   * to the first entry ({@code xas_find}), then per entry {@code xa_step} and a read of its leaf
   * node's line whenever the walk enters a node.
   */
  static final class XaWalk {
    private boolean started;
    private long node = -1;

    long step(RunEnv env, Task t, AddressSpace m, long index) {
      long ns = cost(env, XA_STEP);
      if (!started) {
        started = true;
        ns += cost(env, XA_WALK_START);
      }
      long n = index >>> AddressSpace.XA_CHUNK_SHIFT;
      if (n != node) {
        node = n;
        ns += m.xaNode(index).read(t.machine(), t.core());
      }
      return ns;
    }
  }

  /** {@code xa_load} of {@code index}: the lookup and a read of its leaf node's line. */
  static long xaLoadNs(RunEnv env, Task t, AddressSpace m, long index) {
    return cost(env, PAGECACHE_LOOKUP) + m.xaNode(index).read(t.machine(), t.core());
  }

  /** A store to (or erase of) {@code index}'s slot: the store and a write of its node's line. */
  static long xaStoreNs(RunEnv env, Task t, AddressSpace m, long index) {
    return cost(env, XA_STORE) + m.xaNode(index).atomic(t.machine(), t.core());
  }

  /** The kernel cost {@code c} of this run ({@code kernel.costs}), in ns. */
  static long cost(RunEnv env, KernelCosts.Cost c) {
    return env.context(KernelContext.class).cost(c);
  }

  /** The vmstat event numbered {@code e}: the kernel's, then those the design declares. */
  static String vmEventName(RunEnv env, Task t, long e) {
    if (e >= 0 && e < VM_EVENTS.size()) {
      return VM_EVENTS.get((int) e);
    }
    List<String> declared = env.design() == null ? List.of()
        : env.design().declaredEnumerators("DEFINE_VM_EVENT");
    long i = e - VM_EVENTS.size();
    if (i < 0 || i >= declared.size()) {
      throw t.fault("count_vm_event(" + e + "): not a vmstat event");
    }
    return declared.get((int) i);
  }

  static void requireHeld(Task t, Lock a, Lock b, String op, String what) {
    for (int i = 0, n = t.heldCount(); i < n; i++) {
      HeldLock hl = t.heldAt(i);
      if ((a != null && hl.lock() == a) || (b != null && hl.lock() == b)) {
        return;
      }
    }
    throw t.fault(op + " needs " + what + " held; held: " + t.describeHeld());
  }

  static void requirePtl(Task t, MmStruct m, long addr, String op) {
    PteTable table = m.pteTable(addr);
    for (int i = 0, n = t.heldCount(); i < n; i++) {
      HeldLock hl = t.heldAt(i);
      if ((table != null && table.isPtl(hl.lock())) || hl.lock() == m.pageTableLockIfUsed()) {
        return;
      }
    }
    throw t.fault(op + "(" + Long.toHexString(addr) + ") needs the page table lock"
        + " (pte_lockptr or mm->page_table_lock) held; held: " + t.describeHeld());
  }

  /**
   * [from, to) clamped to {@code v}, checked to lie in one PTE page whose PTL {@code t} holds:
   * the range a {@code *_pte_range} primitive walks; null if it is empty.
   */
  static long[] pteRange(Task t, Vma v, long from, long to, String op) {
    long start = Math.max(from, v.start());
    long end = Math.min(to, v.end());
    if (start >= end) {
      return null;
    }
    requirePtl(t, v.mm(), start, op);
    long tableEnd = (start / Kernel.PMD_SIZE + 1) * Kernel.PMD_SIZE;
    if (end > tableEnd) {
      throw t.fault(op + ": [" + Long.toHexString(start) + ", " + Long.toHexString(end)
          + ") crosses a PTE page; split it with pmd_addr_end");
    }
    return new long[] {start, end};
  }

  static void requireFolioLocked(Task t, Folio f, String op) {
    if (!f.isLocked()) {
      throw t.fault(op + "(" + f + ") needs the folio locked");
    }
  }

  /**
   * {@code find_get_entries}: the folios of [start, end) in index order, fetched a batch of
   * {@value #BATCH} at a time so that folios added ahead of the cursor between batches are
   * found; one xarray step charged per folio.
   */
  static final class FolioBatchCursor implements Cursor {
    @Override
    public boolean batchable() {
      // Reads the page cache (marked on the mapping), folio lines and xarray node lines.
      return true;
    }

    private final AddressSpace mapping;
    private final long end;
    private long next;
    /** Indexes of the folios of one batch: no more than the range holds. */
    private final long[] batch;
    private int n;
    private int i;

    private final XaWalk walk = new XaWalk();
    /** The walk's leaf node, as {@code xas_next_entry} keeps its place in the tree. */
    private final AddressSpace.PageCacheHint hint = new AddressSpace.PageCacheHint();

    FolioBatchCursor(AddressSpace mapping, long start, long end) {
      this.mapping = mapping;
      this.next = start;
      this.end = end;
      this.batch = new long[(int) Math.max(1, Math.min(BATCH, end - start))];
    }

    @Override
    public Object next(RunEnv env, Task t) {
      while (true) {
        if (i == n) {
          if (next >= end) {
            return null;
          }
          n = mapping.entryIndexes(next, end, batch, batch.length);
          i = 0;
          if (n == 0) {
            next = end;
            return null;
          }
          next = batch[n - 1] + 1;
        }
        Folio f = mapping.folio(batch[i++], hint);
        if (f != null) {
          t.busy(walk.step(env, t, mapping, f.index()));
          return f;
        }
      }
    }
  }

  /** A snapshot list walked one element per step. */
  static final class ListCursor implements Cursor {
    private final List<?> items;
    private final long stepNs;
    private int i;

    ListCursor(List<?> items, long stepNs) {
      this.items = items;
      this.stepNs = stepNs;
    }

    @Override
    public Object next(RunEnv env, Task t) {
      if (i == items.size()) {
        return null;
      }
      t.busy(stepNs);
      return items.get(i++);
    }
  }
}
