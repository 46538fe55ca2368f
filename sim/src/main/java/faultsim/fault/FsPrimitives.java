package faultsim.fault;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.lang.Host;
import faultsim.lang.Type;

import static faultsim.fault.KernelHost.*;
import static faultsim.fault.KernelCosts.Cost.*;

/**
 * Primitives of the file systems' side (include/linux/fs.h, fs/ext4, fs/xfs, fs/dax.c,
 * mm/shmem.c): i_size, block mapping and allocation, journal handles, punch and truncate steps.
 */
final class FsPrimitives {
  private FsPrimitives() {}

  static void addTo(KernelTypes k) {
    Host h = k.h();
    Type mm = k.mm();
    Type mapping = k.mapping();
    Type folio = k.folio();
    h.primitiveSource("include/linux/fs.h, fs/ext4, fs/xfs, fs/dax.c, mm/shmem.c");
    h.primitive("i_size_read").batchable().params(mapping).returns(Type.INT)
        .implLong((env, t, a) -> ((AddressSpace) a.ref(0)).iSize()).add();
    h.primitive("i_size_write").params(mapping, Type.INT).implSlots((env, t, a) -> {
      ((AddressSpace) a.ref(0)).setISize(a.i(1));
      return null;
    }).add();
    h.primitive("free_blocks").params(mapping, Type.INT, Type.INT).implSlots((env, t, a) -> {
      ((AddressSpace) a.ref(0)).freeBlocks(a.i(1), a.i(2));
      return null;
    }).add();
    h.primitive("get_block").params(mapping, Type.INT, Type.BOOL).returns(Type.INT)
        .implLong((env, t, a) -> {
          t.busy(cost(env, GET_BLOCK) + (a.bool(2) ? cost(env, ALLOC_BLOCK) : 0));
          return 1L;
        }).add();
    h.primitive("dax_insert_entry").params(mapping, Type.INT).returns(folio)
        .implSlots((env, t, a) -> {
          AddressSpace m = (AddressSpace) a.ref(0);
          long index = a.i(1);
          Folio f = m.folio(index);
          if (f == null) {
            f = m.newFolio(index);
            f.markUptodate();
            m.insertFolio(f);
          }
          t.busy(xaStoreNs(env, t, m, index));
          return f;
        }).add();
    h.primitive("shmem_falloc_begin").params(mapping, Type.INT, Type.INT)
        .implSlots((env, t, a) -> {
          AddressSpace m = (AddressSpace) a.ref(0);
          requireHeld(t, m.lock("i_lock"), null, "shmem_falloc_begin", "&inode->i_lock");
          m.setIPrivate(new ShmemFalloc(a.i(1), a.i(2)));
          return null;
        }).add();
    h.primitive("shmem_falloc_end").params(mapping).implSlots((env, t, a) -> {
      AddressSpace m = (AddressSpace) a.ref(0);
      requireHeld(t, m.lock("i_lock"), null, "shmem_falloc_end", "&inode->i_lock");
      m.setIPrivate(null);
      return null;
    }).add();
    h.primitive("shmem_falloc_waits").params(mapping, Type.INT).returns(Type.BOOL)
        .implSlots((env, t, a) -> ((AddressSpace) a.ref(0)).iPrivate() instanceof ShmemFalloc s
            && s.covers(a.i(1))).add();
  }
}
