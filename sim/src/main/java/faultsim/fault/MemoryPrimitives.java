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

/**
 * Primitives of the page tables (mm/memory.c, mm/rmap.c): PTE lookups under the PTE lock, setting
 * and zapping PTEs, allocating PTE pages, rmap.
 */
final class MemoryPrimitives {
  private MemoryPrimitives() {}

  static void addTo(KernelTypes k) {
    Host h = k.h();
    Type spinlock = k.spinlock();
    Type mm = k.mm();
    Type vma = k.vma();
    Type mapping = k.mapping();
    Type folio = k.folio();
    Type vmaCursor = k.vmaCursor();
    h.primitiveSource("mm/memory.c, mm/rmap.c");
    h.primitive("pte_lockptr").params(mm, Type.INT).returns(spinlock).implSlots((env, t, a) -> {
      MmStruct m = (MmStruct) a.ref(0);
      long addr = a.i(1);
      if (m.pteTable(addr) == null) {
        t.busy(KernelCosts.PTE_ALLOC_NS);
      }
      return m.pteAlloc(addr).ptl();
    }).add();
    h.primitive("pte_table_present").params(mm, Type.INT).returns(Type.BOOL)
        .implSlots((env, t, a) -> ((MmStruct) a.ref(0)).pteTable(a.i(1)) != null).add();
    h.primitive("pte_none").params(mm, Type.INT).returns(Type.BOOL)
        .implSlots((env, t, a) -> ((MmStruct) a.ref(0)).pte(a.i(1)) == null).add();
    h.primitive("pte_folio").params(mm, Type.INT).returns(folio)
        .implSlots((env, t, a) -> ((MmStruct) a.ref(0)).pte(a.i(1))).add();
    h.primitive("pte_write").params(mm, Type.INT).returns(Type.BOOL)
        .implSlots((env, t, a) -> ((MmStruct) a.ref(0)).pteWritable(a.i(1))).add();
    h.primitive("pmd_addr_end").params(Type.INT, Type.INT).returns(Type.INT)
        .implLong((env, t, a) -> Math.min(a.i(1),
            (a.i(0) / Kernel.PMD_SIZE + 1) * Kernel.PMD_SIZE)).add();
    h.primitive("set_pte_at").params(vma, Type.INT, folio, Type.BOOL).implSlots((env, t, a) -> {
      Vma v = (Vma) a.ref(0);
      long addr = a.i(1);
      Folio f = (Folio) a.ref(2);
      requirePtl(t, v.mm(), addr, "set_pte_at");
      if (!v.contains(addr) && !v.resized()) {
        throw t.fault("set_pte_at(" + Long.toHexString(addr) + ") outside " + v);
      }
      v.mm().setPte(addr, f, a.bool(3));
      f.get();
      long cost = KernelCosts.SET_PTE_NS + f.refLine().atomic(t.machine(), t.core());
      env.context(KernelContext.class).oracle().mapped(t, v, v.pageIndex(addr), f);
      env.context(KernelContext.class).oracle().ptePlaced(t, v, addr, a.bool(3));
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
}
