package faultsim.fault;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import faultsim.lang.Host;
import faultsim.lang.Type;
import static faultsim.fault.KernelCosts.Cost.*;
import static faultsim.fault.KernelHost.cost;

/**
 * Primitives of the operations that change a VMA under faults that share it: {@code mmap} over
 * the range a VMA left ({@code MAP_FIXED}), {@code mprotect}'s flag change and PTE pass. The
 * paths around them (locks, order, the per-VMA write lock) are the designs'.
 */
final class VmaPrimitives {
  private VmaPrimitives() {}

  static void addTo(Host h, Type mm, Type vma, Type mapping) {
    h.primitiveSource("mm/mmap.c, mm/vma.c, mm/mprotect.c, mm/mremap.c");
    // mmap_region() at a fixed address with vm_flags (VM_WRITE, VM_SHARED): the range must be
    // free (munmap'd before).
    h.primitive("mmap_region_at").params(mm, Type.INT, mapping, Type.INT, Type.INT, Type.INT)
        .returns(vma).cost("a VMA tree insert, as mmap_region")
        .implSlots((env, t, a) -> {
          MmStruct m = (MmStruct) a.ref(0);
          KernelHost.requireHeld(t, m.mmapLockIfUsed(), m.mmapSemIfUsed(), "mmap_region_at",
              "mmap_lock for write");
          long addr = a.i(1);
          long len = a.i(4);
          for (Vma v : m.vmas()) {
            if (v.start() < addr + len && addr < v.end()) {
              throw t.fault("mmap_region_at(" + Long.toHexString(addr) + "): the range overlaps "
                  + v);
            }
          }
          long flags = a.i(5);
          t.busy(cost(env, VMA_CHANGE));
          Vma v = m.mmapAt(addr, (AddressSpace) a.ref(2), a.i(3), len, (flags & 0x8) != 0);
          v.setWritable((flags & 0x2) != 0);
          return v;
        }).add();
    // vm_flags_reset() (include/linux/mm.h): mprotect_fixup() sets the new flags with mmap_lock
    // held for write; only VM_WRITE changes here.
    h.primitive("vm_flags_reset").params(vma, Type.INT).cost("a store to the VMA")
        .implSlots((env, t, a) -> {
          Vma v = (Vma) a.ref(0);
          KernelHost.requireHeld(t, v.mm().mmapLockIfUsed(), v.mm().mmapSemIfUsed(),
              "vm_flags_reset", "mmap_lock for write");
          v.setWritable((a.i(1) & 0x2) != 0);
          return null;
        }).add();
    // __split_vma() (mm/vma.c): the new VMA is a copy (vm_area_dup: flags, anon_vma,
    // vm_lock_seq, so it is write-locked if the original was) below or above addr.
    h.primitive("split_vma").params(vma, Type.INT, Type.BOOL).returns(vma)
        .cost("a VMA tree insert, as mmap_region")
        .implSlots((env, t, a) -> {
          Vma v = (Vma) a.ref(0);
          long addr = a.i(1);
          KernelHost.requireHeld(t, v.mm().mmapLockIfUsed(), v.mm().mmapSemIfUsed(),
              "split_vma", "mmap_lock for write");
          if (v.detached() || addr <= v.start() || addr >= v.end()
              || addr % Kernel.PAGE_SIZE != 0) {
            throw t.fault("split_vma(" + v + ", " + Long.toHexString(addr) + "): not a page"
                + " boundary inside a VMA in the tree");
          }
          t.busy(cost(env, VMA_CHANGE));
          return v.mm().splitVma(v, addr, a.bool(2));
        }).add();
    // is_mergeable_vma() and friends: next can be merged onto the end of prev.
    h.primitive("vma_mergeable").params(vma, vma).returns(Type.BOOL)
        .implSlots((env, t, a) -> a.ref(0) != null && a.ref(1) != null && !((Vma) a.ref(0)).detached()
            && !((Vma) a.ref(1)).detached() && ((Vma) a.ref(0)).mergeableWith((Vma) a.ref(1))).add();
    // vma_merge() / vma_expand(): prev grows over next, which leaves the tree detached.
    h.primitive("vma_merge").params(vma, vma).cost("a VMA tree store, as mmap_region")
        .implSlots((env, t, a) -> {
          Vma prev = (Vma) a.ref(0);
          Vma next = (Vma) a.ref(1);
          KernelHost.requireHeld(t, prev.mm().mmapLockIfUsed(), prev.mm().mmapSemIfUsed(),
              "vma_merge", "mmap_lock for write");
          if (prev.detached() || next.detached() || !prev.mergeableWith(next)) {
            throw t.fault("vma_merge(" + prev + ", " + next + "): not two adjacent mergeable"
                + " VMAs in the tree");
          }
          t.busy(cost(env, VMA_CHANGE));
          prev.mm().mergeVmas(prev, next);
          env.context(KernelContext.class).oracle().vmaDetached(t, next);
          return null;
        }).add();
    // vma_expandable() (mm/mremap.c): nothing is mapped in the delta bytes after the VMA, so
    // that mremap() can grow it in place.
    h.primitive("vma_expandable").params(vma, Type.INT).returns(Type.BOOL)
        .cost("kernel.costs.find_vma, a VMA tree lookup (find_vma_intersection)")
        .implSlots((env, t, a) -> {
          Vma v = (Vma) a.ref(0);
          t.busy(cost(env, FIND_VMA));
          return !v.detached() && v.mm().expandable(v, v.end() + a.i(1));
        }).add();
    // vma_expand() (mm/vma.c), as mremap()'s in-place growth: vm_end moves up to end over a
    // free range.
    h.primitive("vma_expand").params(vma, Type.INT).cost("a VMA tree store, as mmap_region")
        .implSlots((env, t, a) -> {
          Vma v = (Vma) a.ref(0);
          long end = a.i(1);
          KernelHost.requireHeld(t, v.mm().mmapLockIfUsed(), v.mm().mmapSemIfUsed(),
              "vma_expand", "mmap_lock for write");
          if (v.detached() || !v.mm().expandable(v, end)) {
            throw t.fault("vma_expand(" + v + ", " + Long.toHexString(end) + "): the range"
                + " after the VMA is not free (check vma_expandable first)");
          }
          t.busy(cost(env, VMA_CHANGE));
          v.mm().expandVma(v, end);
          return null;
        }).add();
    // change_pte_range() (mm/mprotect.c) over [start, end) of one PTE page, the PTL held: every
    // present PTE gets the VMA's protection. Write access is taken away from all; given back
    // only to anonymous pages (can_change_pte_writable(): an exclusive anonymous page may be
    // made writable at once; a shared file page waits for its write fault, which dirties it).
    h.primitive("change_pte_range").params(vma, Type.INT, Type.INT).returns(Type.INT)
        .cost("kernel.costs.set_pte per PTE changed, then kernel.costs.tlb_flush if any"
            + " was")
        .implLong((env, t, a) -> {
          Vma v = (Vma) a.ref(0);
          long[] range = KernelHost.pteRange(t, v, a.i(1), a.i(2),
              "change_pte_range");
          if (range == null) {
            return 0L;
          }
          MmStruct m = v.mm();
          long start = range[0];
          long end = range[1];
          boolean write = v.writable() && v.anonymous();
          long changed = 0;
          for (long addr = start; addr < end; addr += Kernel.PAGE_SIZE) {
            if (m.pte(addr) != null && m.pteWritable(addr) != write) {
              m.setPteWriteBit(addr, write);
              changed++;
            }
          }
          t.busy(changed == 0 ? cost(env, XA_STEP)
              : changed * cost(env, SET_PTE) + cost(env, TLB_FLUSH));
          return changed;
        }).add();
  }
}
