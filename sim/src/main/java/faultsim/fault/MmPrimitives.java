package faultsim.fault;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import faultsim.lang.Host;
import faultsim.lang.Type;

import static faultsim.fault.KernelHost.*;
import static faultsim.fault.KernelCosts.Cost.*;

/**
 * Primitives of the fault entry and the mm: the arch fault handler (arch/x86/mm/fault.c), VMA lookup and
 * the mm (mm/mmap.c), and the entry points of mm/memory.c.
 */
final class MmPrimitives {
  private MmPrimitives() {}

  static void addTo(KernelTypes k) {
    Host h = k.h();
    Type mm = k.mm();
    Type vma = k.vma();
    Type mapping = k.mapping();
    Type vmf = k.vmf();
    h.primitiveSource("arch/x86/mm/fault.c, mm/mmap.c, mm/memory.c");
    h.primitive("min").batchable().params(Type.INT, Type.INT).returns(Type.INT)
        .implLong((env, t, a) -> Math.min(a.i(0), a.i(1))).add();
    h.primitive("max").batchable().params(Type.INT, Type.INT).returns(Type.INT)
        .implLong((env, t, a) -> Math.max(a.i(0), a.i(1))).add();
    h.primitive("fault_entry").batchable().implSlots((env, t, a) -> {
      t.busy(cost(env, FAULT_ENTRY));
      return null;
    }).add();
    h.primitive("find_vma").batchable().params(mm, Type.INT).returns(vma).implSlots((env, t, a) -> {
      t.busy(cost(env, FIND_VMA));
      return ((MmStruct) a.ref(0)).findVma(a.i(1));
    }).add();
    h.primitive("vmf_init").batchable().params(vma, Type.INT, Type.INT).returns(vmf)
        .implSlots((env, t, a) -> {
          env.context(KernelContext.class).oracle().faultUses(t, (Vma) a.ref(0));
          return new VmFault((Vma) a.ref(0), a.i(1), a.i(2));
        }).add();
    // vma_end_write_all() (include/linux/mmap_lock.h): mm_lock_seq moves on, a store to its line.
    h.primitive("vma_end_write_all").params(mm).implSlots((env, t, a) -> {
      MmStruct m = (MmStruct) a.ref(0);
      m.advanceMmLockSeq();
      t.busy(m.mmLockSeqLine().atomic(t.machine(), t.core()));
      return null;
    }).add();
    // READ_ONCE(mm->mm_lock_seq) in vma_start_read(): a load of the line every
    // mmap_write_unlock writes.
    h.primitive("read_mm_lock_seq").batchable().params(mm).returns(Type.INT)
        .cost("a load of mm_lock_seq's cache line")
        .implLong((env, t, a) -> {
          MmStruct m = (MmStruct) a.ref(0);
          t.busy(m.mmLockSeqLine().read(t.machine(), t.core()));
          return m.mmLockSeq();
        }).add();
    h.primitive("anon_vma_prepare").params(vma).implSlots((env, t, a) -> {
      ((Vma) a.ref(0)).setAnonVma();
      t.busy(cost(env, ANON_VMA_PREPARE));
      return null;
    }).add();
    h.primitive("mmap_region").params(mm, mapping, Type.INT, Type.INT, Type.BOOL)
        .returns(vma).implSlots((env, t, a) -> {
          MmStruct m = (MmStruct) a.ref(0);
          requireHeld(t, m.mmapLockIfUsed(), m.mmapSemIfUsed(), "mmap_region",
              "mmap_lock for write");
          t.busy(cost(env, VMA_CHANGE));
          return m.mmap((AddressSpace) a.ref(1), a.i(2), a.i(3), a.bool(4));
        }).add();
    h.primitive("remove_vma").params(vma).implSlots((env, t, a) -> {
      Vma v = (Vma) a.ref(0);
      requireHeld(t, v.mm().mmapLockIfUsed(), v.mm().mmapSemIfUsed(), "remove_vma",
          "mmap_lock for write");
      env.context(KernelContext.class).oracle().vmaRemoved(t, v);
      v.mm().munmap(v);
      t.busy(cost(env, VMA_CHANGE));
      return null;
    }).add();
    h.primitive("linear_page_index").batchable().params(vma, Type.INT).returns(Type.INT)
        .implLong((env, t, a) -> ((Vma) a.ref(0)).pageIndex(a.i(1))).add();
    h.primitive("vma_address").batchable().params(vma, Type.INT).returns(Type.INT)
        .implLong((env, t, a) -> ((Vma) a.ref(0)).address(a.i(1))).add();
    h.primitive("count_vm_event").batchable().params(Type.INT).cost("kernel.costs.vm_event")
        .implSlots((env, t, a) -> {
      t.busy(cost(env, VM_EVENT));
      env.context(KernelContext.class).kernel().countVmEvent(vmEventName(env, t, a.i(0)));
      return null;
    }).add();
    h.primitive("count_retry").implSlots((env, t, a) -> {
      env.context(KernelContext.class).countRetry(t);
      return null;
    }).add();
  }
}
