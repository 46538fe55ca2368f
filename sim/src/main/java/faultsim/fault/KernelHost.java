package faultsim.fault;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.PteTable;
import faultsim.kernel.Vma;
import faultsim.lang.Cursor;
import faultsim.lang.Host;
import faultsim.lang.Primitive;
import faultsim.lang.RunEnv;
import faultsim.lang.Type;
import faultsim.locks.FolioLock;
import faultsim.locks.Lock;
import faultsim.locks.LockKind;
import faultsim.locks.Seqcount;
import faultsim.machine.HeldLock;
import faultsim.machine.SimulationException;
import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kernel model as designs see it: the types {@code mm_struct}, {@code vm_area_struct},
 * {@code address_space}, {@code folio} and {@code vm_fault} with their fields, the
 * {@code VM_FAULT_*}, {@code FAULT_FLAG_*} and vmstat constants, the global
 * {@code fault_around_bytes}, and the primitives that read and change kernel state, each named as
 * in the kernel and charged from {@link KernelCosts} and the machine's cache-line model. Every
 * primitive that changes a PTE or the page cache checks that the design holds the lock the kernel
 * requires for it, so a design that forgets one fails with its file and line.
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

    Type lockType(LockKind k) {
      return switch (k) {
        case SPINLOCK -> spinlock;
        case MUTEX -> mutex;
        case RWSEM -> rwsem;
        case SEQCOUNT -> seqcount;
        case RWLOCK -> h.type("rwlock_t");
        case SEQLOCK -> h.type("seqlock_t");
        case RANGELOCK -> h.type("range_lock_tree");
        case FOLIO -> throw new IllegalArgumentException("folio locks are taken on folios");
      };
    }

    void build() {
      types();
      constants();
      entryPrimitives();
      pageCachePrimitives();
      ptePrimitives();
      filePrimitives();
      seedPrimitives();
      readaheadPrimitives();
      apiPrimitives();
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
      h.field(mm, "mm_lock_seq", Type.INT, o -> ((MmStruct) o).mmLockSeq());

      h.field(vma, "vm_mm", mm, o -> ((Vma) o).mm());
      h.field(vma, "vm_file", mapping, o -> ((Vma) o).file());
      h.field(vma, "vm_start", Type.INT, o -> ((Vma) o).start());
      h.field(vma, "vm_end", Type.INT, o -> ((Vma) o).end());
      h.field(vma, "vm_pgoff", Type.INT, o -> ((Vma) o).pgoff());
      h.field(vma, "vm_flags", Type.INT, o -> ((Vma) o).vmFlags());
      h.field(vma, "vm_lock", rwsem, o -> ((Vma) o).vmLock());
      h.lockClass(vma, "vm_lock", "&vma->vm_lock");
      h.field(vma, "vm_lock_seq", Type.INT, o -> ((Vma) o).vmLockSeq(),
          (o, v) -> ((Vma) o).setVmLockSeq((Long) v));
      h.field(vma, "anon_vma", Type.BOOL, o -> ((Vma) o).hasAnonVma());
      h.field(vma, "detached", Type.BOOL, o -> ((Vma) o).detached());

      for (Map.Entry<String, AddressSpace.LockField> e : AddressSpace.LOCK_FIELDS.entrySet()) {
        String f = e.getKey();
        h.field(mapping, f, lockType(e.getValue().kind()), o -> ((AddressSpace) o).lock(f));
        h.lockClass(mapping, f, e.getValue().className());
      }
      h.field(mapping, "fs", Type.INT, o -> (long) ((AddressSpace) o).fs().ordinal() + 1);
      h.field(mapping, "falloc_waitq", waitQueue, o -> ((AddressSpace) o).fallocWaitq());
      h.field(mapping, "nrpages", Type.INT, o -> ((AddressSpace) o).sizePages());

      h.field(folio, "index", Type.INT, o -> ((Folio) o).index());
      h.field(folio, "mapping", mapping, o -> ((Folio) o).mapping());
      h.field(folio, "uptodate", Type.BOOL, o -> ((Folio) o).uptodate());
      h.field(folio, "locked", Type.BOOL, o -> ((Folio) o).isLocked());
      h.field(folio, "dirty", Type.BOOL, o -> ((Folio) o).dirty());
      h.field(folio, "readahead", Type.BOOL, o -> ((Folio) o).readahead());
      h.field(folio, "writeback", Type.BOOL, o -> ((Folio) o).writeback());
      h.field(folio, "anon", Type.BOOL, o -> ((Folio) o).isAnon());

      h.field(vmf, "vma", vma, o -> ((VmFault) o).vma());
      h.field(vmf, "address", Type.INT, o -> ((VmFault) o).address());
      h.field(vmf, "pgoff", Type.INT, o -> ((VmFault) o).pgoff());
      h.field(vmf, "vma_flags", Type.INT, o -> ((VmFault) o).vmaFlags());
      h.field(vmf, "flags", Type.INT, o -> ((VmFault) o).flags(),
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

    // ---- entry, VMAs, mm ----------------------------------------------------------------------

    void entryPrimitives() {
      h.primitiveSource("arch/x86/mm/fault.c, mm/mmap.c, mm/memory.c");
      h.primitive("min").params(Type.INT, Type.INT).returns(Type.INT)
          .impl((env, t, a) -> Math.min((Long) a[0], (Long) a[1])).add();
      h.primitive("max").params(Type.INT, Type.INT).returns(Type.INT)
          .impl((env, t, a) -> Math.max((Long) a[0], (Long) a[1])).add();
      h.primitive("fault_entry").impl((env, t, a) -> {
        t.busy(KernelCosts.FAULT_ENTRY_NS);
        return null;
      }).add();
      h.primitive("find_vma").params(mm, Type.INT).returns(vma).impl((env, t, a) -> {
        t.busy(KernelCosts.FIND_VMA_NS);
        return ((MmStruct) a[0]).findVma((Long) a[1]);
      }).add();
      h.primitive("vmf_init").params(vma, Type.INT, Type.INT).returns(vmf)
          .impl((env, t, a) -> {
            env.context(KernelContext.class).oracle().faultUses(t, (Vma) a[0]);
            return new VmFault((Vma) a[0], (Long) a[1], (Long) a[2]);
          }).add();
      h.primitive("vma_end_write_all").params(mm).impl((env, t, a) -> {
        ((MmStruct) a[0]).advanceMmLockSeq();
        return null;
      }).add();
      h.primitive("anon_vma_prepare").params(vma).impl((env, t, a) -> {
        ((Vma) a[0]).setAnonVma();
        t.busy(KernelCosts.ANON_VMA_PREPARE_NS);
        return null;
      }).add();
      h.primitive("mmap_region").params(mm, mapping, Type.INT, Type.INT, Type.BOOL)
          .returns(vma).impl((env, t, a) -> {
            MmStruct m = (MmStruct) a[0];
            requireHeld(t, m.mmapLockIfUsed(), m.mmapSemIfUsed(), "mmap_region",
                "mmap_lock for write");
            t.busy(KernelCosts.VMA_CHANGE_NS);
            return m.mmap((AddressSpace) a[1], (Long) a[2], (Long) a[3], (Boolean) a[4]);
          }).add();
      h.primitive("remove_vma").params(vma).impl((env, t, a) -> {
        Vma v = (Vma) a[0];
        requireHeld(t, v.mm().mmapLockIfUsed(), v.mm().mmapSemIfUsed(), "remove_vma",
            "mmap_lock for write");
        env.context(KernelContext.class).oracle().vmaRemoved(t, v);
        v.mm().munmap(v);
        t.busy(KernelCosts.VMA_CHANGE_NS);
        return null;
      }).add();
      h.primitive("linear_page_index").params(vma, Type.INT).returns(Type.INT)
          .impl((env, t, a) -> ((Vma) a[0]).pageIndex((Long) a[1])).add();
      h.primitive("vma_address").params(vma, Type.INT).returns(Type.INT)
          .impl((env, t, a) -> ((Vma) a[0]).address((Long) a[1])).add();
      h.primitive("count_vm_event").params(Type.INT).impl((env, t, a) -> {
        env.context(KernelContext.class).kernel().countVmEvent(vmEventName(env, t, (Long) a[0]));
        return null;
      }).add();
      h.primitive("count_retry").impl((env, t, a) -> {
        env.context(KernelContext.class).countRetry(t);
        return null;
      }).add();
    }

    // ---- page cache ---------------------------------------------------------------------------

    void pageCachePrimitives() {
      h.primitiveSource("mm/filemap.c");
      h.primitive("filemap_get_folio").params(mapping, Type.INT).returns(folio)
          .impl((env, t, a) -> {
            Folio f = ((AddressSpace) a[0]).folio((Long) a[1]);
            long cost = KernelCosts.PAGECACHE_LOOKUP_NS;
            if (f != null) {
              cost += f.refLine().atomic(t.machine(), t.core());
              f.get();
            }
            t.busy(cost);
            return f;
          }).add();
      h.primitive("xa_is_value").params(mapping, Type.INT).returns(Type.BOOL)
          .impl((env, t, a) -> {
            t.busy(KernelCosts.PAGECACHE_LOOKUP_NS);
            return ((AddressSpace) a[0]).entry((Long) a[1]) instanceof AddressSpace.ValueEntry;
          }).add();
      h.primitive("filemap_alloc_folio").params(mapping, Type.INT).returns(folio)
          .impl((env, t, a) -> {
            t.busy(KernelCosts.FOLIO_ALLOC_NS);
            return ((AddressSpace) a[0]).newFolio((Long) a[1]);
          }).add();
      h.primitive("__folio_set_locked").params(folio).tryAcquires(0, true)
          .impl((env, t, a) -> {
            if (((Folio) a[0]).isLocked()) {
              throw t.fault("__folio_set_locked(" + a[0] + ") on a folio already locked");
            }
            ((Folio) a[0]).lock().tryAcquire(t, true);
            return null;
          }).add();
      h.primitive("__filemap_add_folio").params(mapping, folio).returns(Type.BOOL)
          .impl((env, t, a) -> {
            AddressSpace m = (AddressSpace) a[0];
            Folio f = (Folio) a[1];
            requireHeld(t, m.lock("i_pages"), null, "__filemap_add_folio", "&mapping->i_pages");
            requireFolioLocked(t, f, "__filemap_add_folio");
            t.busy(KernelCosts.XA_STORE_NS);
            boolean ok = m.insertFolio(f);
            if (ok) {
              f.get();
            }
            return ok;
          }).add();
      h.primitive("__filemap_remove_folio").params(folio).impl((env, t, a) -> {
        Folio f = (Folio) a[0];
        AddressSpace m = f.mapping();
        if (m == null) {
          throw t.fault("__filemap_remove_folio(" + f + "): not in a page cache");
        }
        requireHeld(t, m.lock("i_pages"), null, "__filemap_remove_folio", "&mapping->i_pages");
        requireFolioLocked(t, f, "__filemap_remove_folio");
        m.removeFolio(f);
        f.put();
        t.busy(KernelCosts.XA_STORE_NS);
        return null;
      }).add();
      h.primitive("xa_erase_value").params(mapping, Type.INT).impl((env, t, a) -> {
        AddressSpace m = (AddressSpace) a[0];
        requireHeld(t, m.lock("i_pages"), null, "xa_erase_value", "&mapping->i_pages");
        m.removeValueEntry((Long) a[1]);
        t.busy(KernelCosts.XA_STORE_NS);
        return null;
      }).add();
      h.primitive("filemap_read_folio").params(folio).impl((env, t, a) -> {
        Folio f = (Folio) a[0];
        requireFolioLocked(t, f, "filemap_read_folio");
        AddressSpace m = f.mapping();
        if (m == null) {
          throw t.fault("filemap_read_folio(" + f + "): the folio was removed from its file");
        }
        // The block mapping is looked up when the bio is built (->read_folio, get_block): the
        // data that arrives is that of the blocks the file had then, even if they are freed
        // while the read is in flight. end_io marks the folio uptodate.
        f.setGeneration(m.dataGeneration(f.index()));
        m.device().submitAndWait(t, false, f::markUptodate);
        return null;
      }).add();
      h.primitive("folio_zero_fill").params(folio).impl((env, t, a) -> {
        Folio f = (Folio) a[0];
        if (f.mapping() != null) {
          f.setGeneration(f.mapping().dataGeneration(f.index()));
        }
        f.markUptodate();
        t.busy(KernelCosts.CLEAR_PAGE_NS);
        return null;
      }).add();
      h.primitive("folio_mark_uptodate").params(folio).impl((env, t, a) -> {
        ((Folio) a[0]).markUptodate();
        return null;
      }).add();
      h.primitive("folio_mark_dirty").params(folio).impl((env, t, a) -> {
        ((Folio) a[0]).setDirty(true);
        return null;
      }).add();
      h.primitive("folio_get").params(folio).impl((env, t, a) -> {
        Folio f = (Folio) a[0];
        f.get();
        t.busy(f.refLine().atomic(t.machine(), t.core()));
        return null;
      }).add();
      h.primitive("folio_try_get").params(folio).returns(Type.BOOL).impl((env, t, a) -> {
        Folio f = (Folio) a[0];
        t.busy(f.refLine().atomic(t.machine(), t.core()));
        if (f.refcount() <= 0) {
          return false;
        }
        f.get();
        return true;
      }).add();
      h.primitive("folio_put").params(folio).impl((env, t, a) -> {
        Folio f = (Folio) a[0];
        f.put();
        t.busy(f.refLine().atomic(t.machine(), t.core()));
        return null;
      }).add();
      h.primitive("folio_lock").params(folio).acquires(0, true).impl((env, t, a) -> {
        ((Folio) a[0]).lock().acquire(t, true);
        return null;
      }).add();
      h.primitive("folio_trylock").params(folio).returns(Type.BOOL).tryAcquires(0, true)
          .impl((env, t, a) -> {
            ((Folio) a[0]).lock().tryAcquire(t, true);
            return Primitive.RESULT;
          }).add();
      h.primitive("folio_unlock").params(folio).releases(0, true).impl((env, t, a) -> {
        Folio f = (Folio) a[0];
        f.lock().release(t, true);
        f.dropIdleLock();
        return null;
      }).add();
      h.primitive("pagecache_range").params(mapping, Type.INT, Type.INT).returns(folioCursor)
          .impl((env, t, a) -> new FolioBatchCursor((AddressSpace) a[0], (Long) a[1],
              (Long) a[2])).add();
    }

    // ---- page tables ----------------------------------------------------------------------------

    void ptePrimitives() {
      h.primitiveSource("mm/memory.c, mm/rmap.c");
      h.primitive("pte_lockptr").params(mm, Type.INT).returns(spinlock).impl((env, t, a) -> {
        MmStruct m = (MmStruct) a[0];
        long addr = (Long) a[1];
        if (m.pteTable(addr) == null) {
          t.busy(KernelCosts.PTE_ALLOC_NS);
        }
        return m.pteAlloc(addr).ptl();
      }).add();
      h.primitive("pte_table_present").params(mm, Type.INT).returns(Type.BOOL)
          .impl((env, t, a) -> ((MmStruct) a[0]).pteTable((Long) a[1]) != null).add();
      h.primitive("pte_none").params(mm, Type.INT).returns(Type.BOOL)
          .impl((env, t, a) -> ((MmStruct) a[0]).pte((Long) a[1]) == null).add();
      h.primitive("pte_folio").params(mm, Type.INT).returns(folio)
          .impl((env, t, a) -> ((MmStruct) a[0]).pte((Long) a[1])).add();
      h.primitive("pte_write").params(mm, Type.INT).returns(Type.BOOL)
          .impl((env, t, a) -> ((MmStruct) a[0]).pteWritable((Long) a[1])).add();
      h.primitive("pmd_addr_end").params(Type.INT, Type.INT).returns(Type.INT)
          .impl((env, t, a) -> Math.min((Long) a[1],
              ((Long) a[0] / Kernel.PMD_SIZE + 1) * Kernel.PMD_SIZE)).add();
      h.primitive("set_pte_at").params(vma, Type.INT, folio, Type.BOOL).impl((env, t, a) -> {
        Vma v = (Vma) a[0];
        long addr = (Long) a[1];
        Folio f = (Folio) a[2];
        requirePtl(t, v.mm(), addr, "set_pte_at");
        if (!v.contains(addr) && !v.resized()) {
          throw t.fault("set_pte_at(" + Long.toHexString(addr) + ") outside " + v);
        }
        v.mm().setPte(addr, f, (Boolean) a[3]);
        f.get();
        long cost = KernelCosts.SET_PTE_NS + f.refLine().atomic(t.machine(), t.core());
        env.context(KernelContext.class).oracle().mapped(t, v, v.pageIndex(addr), f);
        env.context(KernelContext.class).oracle().ptePlaced(t, v, addr, (Boolean) a[3]);
        t.busy(cost);
        return null;
      }).add();
      h.primitive("pte_mkwrite").params(mm, Type.INT).impl((env, t, a) -> {
        MmStruct m = (MmStruct) a[0];
        long addr = (Long) a[1];
        requirePtl(t, m, addr, "pte_mkwrite");
        m.setPteWritable(addr);
        env.context(KernelContext.class).oracle().pteMadeWritable(t, m, addr);
        t.busy(KernelCosts.SET_PTE_NS);
        return null;
      }).add();
      h.primitive("folio_mapped").params(folio).returns(Type.BOOL)
          .impl((env, t, a) -> ((Folio) a[0]).mapcount() > 0).add();
      h.primitive("zap_pte_range").params(vma, Type.INT, Type.INT, Type.BOOL).returns(Type.INT)
          .impl((env, t, a) -> {
            Vma v = (Vma) a[0];
            long[] range = pteRange(t, v, (Long) a[1], (Long) a[2], "zap_pte_range");
            if (range == null) {
              return 0L;
            }
            long start = range[0];
            long end = range[1];
            boolean evenCows = (Boolean) a[3];
            long zapped = 0;
            for (long addr = start; addr < end; addr += Kernel.PAGE_SIZE) {
              Folio mapped = v.mm().pte(addr);
              if (mapped == null || (!evenCows && mapped.isAnon() && !v.anonymous())) {
                continue;
              }
              Folio f = v.mm().clearPte(addr);
              if (f != null) {
                f.put();
                zapped++;
              }
            }
            t.busy(zapped == 0 ? KernelCosts.XA_STEP_NS
                : zapped * KernelCosts.ZAP_PTE_NS + KernelCosts.TLB_FLUSH_NS);
            return zapped;
          }).add();
      h.primitive("vma_interval_tree").params(mapping, Type.INT, Type.INT).returns(vmaCursor)
          .impl((env, t, a) -> {
            AddressSpace m = (AddressSpace) a[0];
            long first = (Long) a[1];
            long last = (Long) a[2];
            List<Vma> hits = new ArrayList<>();
            for (Vma v : m.iMmap()) {
              long vFirst = v.pgoff();
              long vLast = v.pgoff() + (v.end() - v.start()) / Kernel.PAGE_SIZE - 1;
              if (vFirst <= last && vLast >= first) {
                hits.add(v);
              }
            }
            return new ListCursor(hits, KernelCosts.VMA_TREE_STEP_NS);
          }).add();
      h.primitive("alloc_anon_folio").params(vma, Type.INT).returns(folio)
          .impl((env, t, a) -> {
            t.busy(KernelCosts.FOLIO_ALLOC_NS + KernelCosts.CLEAR_PAGE_NS);
            Vma v = (Vma) a[0];
            return env.context(KernelContext.class).kernel().newAnonFolio(
                v.pageIndex((Long) a[1]));
          }).add();
      h.primitive("folio_copy_cow").params(vma, Type.INT, folio).returns(folio)
          .impl((env, t, a) -> {
            t.busy(KernelCosts.FOLIO_ALLOC_NS + KernelCosts.COPY_PAGE_NS);
            Vma v = (Vma) a[0];
            return env.context(KernelContext.class).kernel().newAnonFolio(
                v.pageIndex((Long) a[1]));
          }).add();
    }

    // ---- files ----------------------------------------------------------------------------------

    void filePrimitives() {
      h.primitiveSource("include/linux/fs.h, fs/ext4, fs/xfs, fs/dax.c, mm/shmem.c");
      h.primitive("i_size_read").params(mapping).returns(Type.INT)
          .impl((env, t, a) -> ((AddressSpace) a[0]).iSize()).add();
      h.primitive("i_size_write").params(mapping, Type.INT).impl((env, t, a) -> {
        ((AddressSpace) a[0]).setISize((Long) a[1]);
        return null;
      }).add();
      h.primitive("free_blocks").params(mapping, Type.INT, Type.INT).impl((env, t, a) -> {
        ((AddressSpace) a[0]).freeBlocks((Long) a[1], (Long) a[2]);
        return null;
      }).add();
      h.primitive("get_block").params(mapping, Type.INT, Type.BOOL).returns(Type.INT)
          .impl((env, t, a) -> {
            t.busy(KernelCosts.GET_BLOCK_NS + ((Boolean) a[2] ? KernelCosts.ALLOC_BLOCK_NS : 0));
            return 1L;
          }).add();
      h.primitive("dax_insert_entry").params(mapping, Type.INT).returns(folio)
          .impl((env, t, a) -> {
            AddressSpace m = (AddressSpace) a[0];
            long index = (Long) a[1];
            Folio f = m.folio(index);
            if (f == null) {
              f = m.newFolio(index);
              f.markUptodate();
              m.insertFolio(f);
            }
            t.busy(KernelCosts.XA_STORE_NS);
            return f;
          }).add();
      h.primitive("shmem_falloc_begin").params(mapping, Type.INT, Type.INT)
          .impl((env, t, a) -> {
            AddressSpace m = (AddressSpace) a[0];
            requireHeld(t, m.lock("i_lock"), null, "shmem_falloc_begin", "&inode->i_lock");
            m.setIPrivate(new ShmemFalloc((Long) a[1], (Long) a[2]));
            return null;
          }).add();
      h.primitive("shmem_falloc_end").params(mapping).impl((env, t, a) -> {
        AddressSpace m = (AddressSpace) a[0];
        requireHeld(t, m.lock("i_lock"), null, "shmem_falloc_end", "&inode->i_lock");
        m.setIPrivate(null);
        return null;
      }).add();
      h.primitive("shmem_falloc_waits").params(mapping, Type.INT).returns(Type.BOOL)
          .impl((env, t, a) -> ((AddressSpace) a[0]).iPrivate() instanceof ShmemFalloc s
              && s.covers((Long) a[1])).add();
    }

    // ---- primitives for the seed proposals: tmpfs swap entries, raw sequence reads -------------
    //
    // tmpfs keeps a swapped-out page as a swap entry (a value entry) in i_pages. A fault swaps it
    // back in by reading it into a new folio and replacing the entry if it is still there; a hole
    // punch gathers a batch of entries (pages and swap entries, find_get_entries) and frees each
    // swap entry with a compare-and-exchange that fails if the entry has turned back into a page
    // since the batch was gathered (shmem_free_swap, seed 001). Andrea's 2003 frlock and 2.6's
    // truncate_count are read without waiting for a writer (seed 004): raw_read_seqcount.

    // ---- readahead (mm/readahead.c), kernel-paths.md C.12 ------------------------------------

    void readaheadPrimitives() {
      h.primitiveSource("mm/readahead.c");
      Type ractl = h.defineType("readahead_control", Readahead.class);
      Type raCursor = h.cursorType("readahead_folios_cursor", folio);
      h.global("ra_pages", Type.INT, env -> env.context(KernelContext.class).spec()
          .readAheadPages());
      h.primitive("filemap_folio_present").params(mapping, Type.INT).returns(Type.BOOL)
          .impl((env, t, a) -> {
            t.busy(KernelCosts.PAGECACHE_LOOKUP_NS);
            return ((AddressSpace) a[0]).folio((Long) a[1]) != null;
          }).add();
      h.primitive("readahead_begin").params(mapping).returns(ractl)
          .impl((env, t, a) -> new Readahead((AddressSpace) a[0])).add();
      h.primitive("readahead_add").params(ractl, folio).impl((env, t, a) -> {
        Readahead r = (Readahead) a[0];
        Folio f = (Folio) a[1];
        requireFolioLocked(t, f, "readahead_add");
        if (f.mapping() != r.mapping) {
          throw t.fault("readahead_add(" + f + "): not a folio of " + r.mapping);
        }
        r.folios.add(f);
        return null;
      }).add();
      h.primitive("read_pages").params(ractl).impl((env, t, a) -> {
        Readahead r = (Readahead) a[0];
        if (r.folios.isEmpty()) {
          return null;
        }
        for (Folio f : r.folios) {
          requireFolioLocked(t, f, "read_pages");
          // As filemap_read_folio: the blocks mapped when the bio is built.
          f.setGeneration(r.mapping.dataGeneration(f.index()));
        }
        // One bio for the batch; end_io marks every folio uptodate.
        List<Folio> batch = List.copyOf(r.folios);
        r.mapping.device().submitAndWait(t, false, () -> batch.forEach(Folio::markUptodate));
        return null;
      }).add();
      h.primitive("readahead_folios").params(ractl).returns(raCursor)
          .impl((env, t, a) -> new ListCursor(List.copyOf(((Readahead) a[0]).folios), 0))
          .add();
    }

    void apiPrimitives() {
      ApiPrimitives.addTo(h, mm, mapping, folio);
    }

    void seedPrimitives() {
      h.primitiveSource("mm/shmem.c, mm/filemap.c, include/linux/seqlock.h");
      Type entry = h.defineType("pagecache_entry", PagecacheEntry.class);
      h.field(entry, "index", Type.INT, o -> ((PagecacheEntry) o).index());
      h.field(entry, "folio", folio, o -> ((PagecacheEntry) o).folio());
      Type entryCursor = h.cursorType("entry_batch", entry);
      // find_get_entries(): the folios and swap entries of [start, end) in index order, gathered
      // a batch at a time; each is as it was when its batch was gathered.
      h.primitive("find_get_entries").params(mapping, Type.INT, Type.INT).returns(entryCursor)
          .impl((env, t, a) -> new EntryBatchCursor((AddressSpace) a[0], (Long) a[1],
              (Long) a[2])).add();
      // The swap entry at index, or NULL: the xa_load of shmem_get_folio.
      h.primitive("shmem_swap_lookup").params(mapping, Type.INT).returns(entry)
          .impl((env, t, a) -> {
            AddressSpace m = (AddressSpace) a[0];
            long index = (Long) a[1];
            t.busy(KernelCosts.PAGECACHE_LOOKUP_NS);
            return m.entry(index) instanceof AddressSpace.ValueEntry v && v.swap()
                ? new PagecacheEntry(m, index, v, null) : null;
          }).add();
      // shmem_free_swap(): erases a swap entry if it is still the one looked up; false (-ENOENT)
      // if it was swapped back in (or freed) since.
      h.primitive("shmem_free_swap").params(entry).returns(Type.BOOL).impl((env, t, a) -> {
        PagecacheEntry e = (PagecacheEntry) a[0];
        if (e.value() == null) {
          throw t.fault("shmem_free_swap(" + e.index() + "): not a swap entry");
        }
        requireHeld(t, e.mapping().lock("i_pages"), null, "shmem_free_swap",
            "&mapping->i_pages");
        t.busy(KernelCosts.XA_STORE_NS);
        if (e.mapping().entry(e.index()) != e.value()) {
          return false;
        }
        e.mapping().removeValueEntry(e.index());
        return true;
      }).add();
      // shmem_add_to_page_cache(expected = swap): the swapped-in folio (locked, read) replaces
      // the swap entry if it is still there; false if not (punched, or swapped in elsewhere).
      h.primitive("shmem_replace_swap").params(entry, folio).returns(Type.BOOL)
          .impl((env, t, a) -> {
            PagecacheEntry e = (PagecacheEntry) a[0];
            Folio f = (Folio) a[1];
            AddressSpace m = e.mapping();
            requireHeld(t, m.lock("i_pages"), null, "shmem_replace_swap", "&mapping->i_pages");
            requireFolioLocked(t, f, "shmem_replace_swap");
            if (e.value() == null || f.mapping() != m || f.index() != e.index()) {
              throw t.fault("shmem_replace_swap(" + f + "): not a folio for the swap entry at "
                  + e.index() + " of " + m.name());
            }
            t.busy(KernelCosts.XA_STORE_NS);
            if (m.entry(e.index()) != e.value()) {
              return false;
            }
            m.removeValueEntry(e.index());
            m.insertFolio(f);
            f.get();
            return true;
          }).add();
      // shmem_writeout(): reclaim puts a locked, unmapped folio out to swap; its slot becomes a
      // swap entry (the write to the swap device is asynchronous and not modelled).
      h.primitive("shmem_writeout").params(folio).impl((env, t, a) -> {
        Folio f = (Folio) a[0];
        AddressSpace m = f.mapping();
        if (m == null) {
          throw t.fault("shmem_writeout(" + f + "): not in a page cache");
        }
        requireHeld(t, m.lock("i_pages"), null, "shmem_writeout", "&mapping->i_pages");
        requireFolioLocked(t, f, "shmem_writeout");
        if (f.mapcount() > 0) {
          throw t.fault("shmem_writeout(" + f + "): the folio is still mapped");
        }
        long index = f.index();
        m.removeFolio(f);
        f.put();
        m.setValueEntry(index, new AddressSpace.ValueEntry(true));
        t.busy(KernelCosts.XA_STORE_NS);
        return null;
      }).add();
      // raw_read_seqcount(): the count as it is, odd or even, without waiting for a writer; a
      // plain load of the counter's line.
      h.primitive("raw_read_seqcount").params(seqcount).returns(Type.INT)
          .impl((env, t, a) -> {
            Seqcount s = (Seqcount) a[0];
            t.busy(s.line().read(t.machine(), t.core()));
            return s.sequence();
          }).add();
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
          Object e = mapping.entry(batch[k]);
          if (e instanceof Folio f) {
            entries[n++] = new PagecacheEntry(mapping, batch[k], null, f);
          } else if (e instanceof AddressSpace.ValueEntry v && v.swap()) {
            entries[n++] = new PagecacheEntry(mapping, batch[k], v, null);
          }
        }
      }
      t.busy(KernelCosts.XA_STEP_NS);
      return entries[i++];
    }
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
    for (HeldLock hl : t.held()) {
      if ((a != null && hl.lock() == a) || (b != null && hl.lock() == b)) {
        return;
      }
    }
    throw t.fault(op + " needs " + what + " held; held: " + t.describeHeld());
  }

  static void requirePtl(Task t, MmStruct m, long addr, String op) {
    PteTable table = m.pteTable(addr);
    for (HeldLock hl : t.held()) {
      if ((table != null && hl.lock() == table.ptlIfUsed())
          || hl.lock() == m.pageTableLockIfUsed()) {
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
    private final AddressSpace mapping;
    private final long end;
    private long next;
    private final long[] batch = new long[BATCH];
    private int n;
    private int i;

    FolioBatchCursor(AddressSpace mapping, long start, long end) {
      this.mapping = mapping;
      this.next = start;
      this.end = end;
    }

    @Override
    public Object next(RunEnv env, Task t) {
      while (true) {
        if (i == n) {
          if (next >= end) {
            return null;
          }
          n = mapping.entryIndexes(next, end, batch, BATCH);
          i = 0;
          if (n == 0) {
            next = end;
            return null;
          }
          next = batch[n - 1] + 1;
        }
        Folio f = mapping.folio(batch[i++]);
        if (f != null) {
          t.busy(KernelCosts.XA_STEP_NS);
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
