package faultsim.fault;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import faultsim.lang.Host;
import faultsim.lang.Type;
import java.util.ArrayList;
import java.util.List;

import static faultsim.fault.KernelHost.*;
import static faultsim.fault.KernelCosts.Cost.*;

/**
 * Primitives of the page tables (mm/memory.c, mm/rmap.c): PTE lookups under the PTE lock, setting
 * and zapping PTEs, allocating PTE pages, rmap.
 */
final class MemoryPrimitives {
  private MemoryPrimitives() {}

  /** pte_alloc_one(): a page from the allocator, zeroed, with its page-table constructor. */
  static long pteAllocOneNs(faultsim.lang.RunEnv env) {
    return cost(env, FOLIO_ALLOC) + cost(env, CLEAR_PAGE) + cost(env, PTE_CTOR);
  }

  static void addTo(KernelTypes k) {
    Host h = k.h();
    Type spinlock = k.spinlock();
    Type mm = k.mm();
    Type vma = k.vma();
    Type mapping = k.mapping();
    Type folio = k.folio();
    Type vmaCursor = k.vmaCursor();
    h.primitiveSource("mm/memory.c, mm/rmap.c");
    // pte_offset_map_lock()'s descent to the PTE and its lock pointer (pte_lockptr). A design
    // allocates the PTE page first (__pte_alloc: pte_alloc_one, then pmd_install under
    // pmd_lock); one that does not gets it here, as pte_alloc_one and pmd_install would, but
    // without taking the PMD lock.
    h.primitive("pte_lockptr").batchable().params(mm, Type.INT).returns(spinlock)
        .cost("kernel.costs.pte_offset_map; without a PTE page, pte_alloc_one's and"
            + " kernel.costs.pmd_populate too")
        .implSlots((env, t, a) -> {
          MmStruct m = (MmStruct) a.ref(0);
          long addr = a.i(1);
          long c = cost(env, PTE_OFFSET_MAP);
          if (m.pteTable(addr) == null) {
            c += pteAllocOneNs(env) + cost(env, PMD_POPULATE);
          }
          t.busy(c);
          return m.pteAlloc(addr).ptl();
        }).add();
    // pte_alloc_one() (include/asm-generic/pgalloc.h): a zeroed page from the page allocator
    // (GFP_PGTABLE_USER has __GFP_ZERO) and pagetable_pte_ctor(); no lock of the mm is held.
    h.primitive("pte_alloc_one").params(mm)
        .cost("kernel.costs.folio_alloc + clear_page + pte_ctor")
        .implSlots((env, t, a) -> {
          t.busy(pteAllocOneNs(env));
          return null;
        }).add();
    // pmd_lockptr() (include/linux/mm.h): the split lock of the PMD page that maps address.
    h.primitive("pmd_lockptr").params(mm, Type.INT).returns(spinlock)
        .implSlots((env, t, a) -> ((MmStruct) a.ref(0)).pmdLock(a.i(1))).add();
    // pmd_install() (mm/memory.c), under pmd_lock(): if the PMD is still empty, populate it
    // with the page pte_alloc_one() returned and answer true; else another thread installed one
    // first and the new page is freed (pte_free).
    h.primitive("pmd_install").params(mm, Type.INT).returns(Type.BOOL)
        .cost("kernel.costs.pmd_populate when it installs the page")
        .implSlots((env, t, a) -> {
          MmStruct m = (MmStruct) a.ref(0);
          long addr = a.i(1);
          requireHeld(t, m.pmdLock(addr), m.pageTableLockIfUsed(), "pmd_install",
              "pmd_lock (pmd_lockptr or mm->page_table_lock)");
          if (m.pteTable(addr) != null) {
            return false;
          }
          m.pteAlloc(addr);
          t.busy(cost(env, PMD_POPULATE));
          return true;
        }).add();
    h.primitive("pte_table_present").batchable().params(mm, Type.INT).returns(Type.BOOL)
        .implSlots((env, t, a) -> ((MmStruct) a.ref(0)).pteTable(a.i(1)) != null).add();
    h.primitive("pte_none").batchable().params(mm, Type.INT).returns(Type.BOOL)
        .implSlots((env, t, a) -> ((MmStruct) a.ref(0)).pte(a.i(1)) == null).add();
    h.primitive("pte_folio").params(mm, Type.INT).returns(folio)
        .implSlots((env, t, a) -> ((MmStruct) a.ref(0)).pte(a.i(1))).add();
    h.primitive("pte_write").params(mm, Type.INT).returns(Type.BOOL)
        .implSlots((env, t, a) -> ((MmStruct) a.ref(0)).pteWritable(a.i(1))).add();
    h.primitive("pmd_addr_end").batchable().params(Type.INT, Type.INT).returns(Type.INT)
        .implLong((env, t, a) -> Math.min(a.i(1),
            (a.i(0) / Kernel.PMD_SIZE + 1) * Kernel.PMD_SIZE)).add();
    h.primitive("set_pte_at").batchable().params(vma, Type.INT, folio, Type.BOOL).implSlots((env, t, a) -> {
      Vma v = (Vma) a.ref(0);
      long addr = a.i(1);
      Folio f = (Folio) a.ref(2);
      requirePtl(t, v.mm(), addr, "set_pte_at");
      if (!v.contains(addr) && !v.resized()) {
        throw t.fault("set_pte_at(" + Long.toHexString(addr) + ") outside " + v);
      }
      v.mm().setPte(addr, f, a.bool(3));
      f.get();
      long cost = cost(env, SET_PTE) + f.refLine().atomic(t.machine(), t.core());
      env.context(KernelContext.class).oracle().mapped(t, v, v.pageIndex(addr), f);
      env.context(KernelContext.class).oracle().ptePlaced(t, v, addr, a.bool(3));
      t.busy(cost);
      return null;
    }).add();
    h.primitive("pte_mkwrite").params(mm, Type.INT).implSlots((env, t, a) -> {
      MmStruct m = (MmStruct) a.ref(0);
      long addr = a.i(1);
      requirePtl(t, m, addr, "pte_mkwrite");
      m.setPteWritable(addr);
      env.context(KernelContext.class).oracle().pteMadeWritable(t, m, addr);
      t.busy(cost(env, SET_PTE));
      return null;
    }).add();
    h.primitive("folio_mapped").params(folio).returns(Type.BOOL)
        .implSlots((env, t, a) -> ((Folio) a.ref(0)).mapcount() > 0).add();
    h.primitive("zap_pte_range").params(vma, Type.INT, Type.INT, Type.BOOL).returns(Type.INT)
        .implLong((env, t, a) -> {
          Vma v = (Vma) a.ref(0);
          long[] range = pteRange(t, v, a.i(1), a.i(2), "zap_pte_range");
          if (range == null) {
            return 0L;
          }
          long start = range[0];
          long end = range[1];
          boolean evenCows = a.bool(3);
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
          t.busy(zapped == 0 ? cost(env, XA_STEP)
              : zapped * cost(env, ZAP_PTE) + cost(env, TLB_FLUSH));
          return zapped;
        }).add();
    h.primitive("vma_interval_tree").params(mapping, Type.INT, Type.INT).returns(vmaCursor)
        .implSlots((env, t, a) -> {
          AddressSpace m = (AddressSpace) a.ref(0);
          long first = a.i(1);
          long last = a.i(2);
          List<Vma> hits = new ArrayList<>();
          for (Vma v : m.iMmap()) {
            long vFirst = v.pgoff();
            long vLast = v.pgoff() + (v.end() - v.start()) / Kernel.PAGE_SIZE - 1;
            if (vFirst <= last && vLast >= first) {
              hits.add(v);
            }
          }
          return new ListCursor(hits, cost(env, VMA_TREE_STEP));
        }).add();
    h.primitive("alloc_anon_folio").params(vma, Type.INT).returns(folio)
        .implSlots((env, t, a) -> {
          t.busy(cost(env, FOLIO_ALLOC) + cost(env, CLEAR_PAGE));
          Vma v = (Vma) a.ref(0);
          return env.context(KernelContext.class).kernel().newAnonFolio(
              v.pageIndex(a.i(1)));
        }).add();
    h.primitive("folio_copy_cow").params(vma, Type.INT, folio).returns(folio)
        .implSlots((env, t, a) -> {
          t.busy(cost(env, FOLIO_ALLOC) + cost(env, COPY_PAGE));
          Vma v = (Vma) a.ref(0);
          return env.context(KernelContext.class).kernel().newAnonFolio(
              v.pageIndex(a.i(1)));
        }).add();
  }
}
