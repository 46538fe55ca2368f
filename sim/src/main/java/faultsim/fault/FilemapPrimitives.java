package faultsim.fault;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.lang.Host;
import faultsim.lang.Primitive;
import faultsim.lang.Type;

import static faultsim.fault.KernelHost.*;
import static faultsim.fault.KernelCosts.Cost.*;

/**
 * Primitives of the page cache (mm/filemap.c): lookups, adding and removing folios, folio
 * locks and references, fault-around's walk.
 */
final class FilemapPrimitives {
  private FilemapPrimitives() {}

  static void addTo(KernelTypes k) {
    Host h = k.h();
    Type mm = k.mm();
    Type mapping = k.mapping();
    Type folio = k.folio();
    Type folioCursor = k.folioCursor();
    h.primitiveSource("mm/filemap.c");
    h.primitive("filemap_get_folio").params(mapping, Type.INT).returns(folio)
        .implSlots((env, t, a) -> {
          Folio f = ((AddressSpace) a.ref(0)).folio(a.i(1));
          long cost = xaLoadNs(env, t, (AddressSpace) a.ref(0), a.i(1));
          if (f != null) {
            cost += f.refLine().atomic(t.machine(), t.core());
            f.get();
          }
          t.busy(cost);
          return f;
        }).add();
    h.primitive("xa_is_value").params(mapping, Type.INT).returns(Type.BOOL)
        .implSlots((env, t, a) -> {
          t.busy(xaLoadNs(env, t, (AddressSpace) a.ref(0), a.i(1)));
          return ((AddressSpace) a.ref(0)).entry(a.i(1)) instanceof AddressSpace.ValueEntry;
        }).add();
    h.primitive("filemap_alloc_folio").params(mapping, Type.INT).returns(folio)
        .implSlots((env, t, a) -> {
          t.busy(cost(env, FOLIO_ALLOC));
          return ((AddressSpace) a.ref(0)).newFolio(a.i(1));
        }).add();
    h.primitive("__folio_set_locked").params(folio).tryAcquires(0, true)
        .implSlots((env, t, a) -> {
          if (((Folio) a.ref(0)).isLocked()) {
            throw t.fault("__folio_set_locked(" + a.ref(0) + ") on a folio already locked");
          }
          ((Folio) a.ref(0)).trylock(t);
          return null;
        }).add();
    h.primitive("__filemap_add_folio").params(mapping, folio).returns(Type.BOOL)
        .implSlots((env, t, a) -> {
          AddressSpace m = (AddressSpace) a.ref(0);
          Folio f = (Folio) a.ref(1);
          requireHeld(t, m.lock("i_pages"), null, "__filemap_add_folio", "&mapping->i_pages");
          requireFolioLocked(t, f, "__filemap_add_folio");
          t.busy(xaStoreNs(env, t, m, f.index()));
          boolean ok = m.insertFolio(f);
          if (ok) {
            f.get();
          }
          return ok;
        }).add();
    h.primitive("__filemap_remove_folio").params(folio).implSlots((env, t, a) -> {
      Folio f = (Folio) a.ref(0);
      AddressSpace m = f.mapping();
      if (m == null) {
        throw t.fault("__filemap_remove_folio(" + f + "): not in a page cache");
      }
      requireHeld(t, m.lock("i_pages"), null, "__filemap_remove_folio", "&mapping->i_pages");
      requireFolioLocked(t, f, "__filemap_remove_folio");
      long ns = xaStoreNs(env, t, m, f.index());
      m.removeFolio(f);
      f.put();
      t.busy(ns);
      return null;
    }).add();
    h.primitive("xa_erase_value").params(mapping, Type.INT).implSlots((env, t, a) -> {
      AddressSpace m = (AddressSpace) a.ref(0);
      requireHeld(t, m.lock("i_pages"), null, "xa_erase_value", "&mapping->i_pages");
      m.removeValueEntry(a.i(1));
      t.busy(xaStoreNs(env, t, m, a.i(1)));
      return null;
    }).add();
    h.primitive("filemap_read_folio").params(folio).implSlots((env, t, a) -> {
      Folio f = (Folio) a.ref(0);
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
    h.primitive("folio_zero_fill").params(folio).implSlots((env, t, a) -> {
      Folio f = (Folio) a.ref(0);
      if (f.mapping() != null) {
        f.setGeneration(f.mapping().dataGeneration(f.index()));
      }
      f.markUptodate();
      t.busy(cost(env, CLEAR_PAGE));
      return null;
    }).add();
    h.primitive("folio_mark_uptodate").params(folio).implSlots((env, t, a) -> {
      ((Folio) a.ref(0)).markUptodate();
      return null;
    }).add();
    h.primitive("folio_mark_dirty").params(folio).implSlots((env, t, a) -> {
      ((Folio) a.ref(0)).setDirty(true);
      return null;
    }).add();
    h.primitive("folio_get").params(folio).implSlots((env, t, a) -> {
      Folio f = (Folio) a.ref(0);
      f.get();
      t.busy(f.refLine().atomic(t.machine(), t.core()));
      return null;
    }).add();
    h.primitive("folio_try_get").batchable().params(folio).returns(Type.BOOL).implSlots((env, t, a) -> {
      Folio f = (Folio) a.ref(0);
      t.busy(f.refLine().atomic(t.machine(), t.core()));
      if (f.refcount() <= 0) {
        return false;
      }
      f.get();
      return true;
    }).add();
    h.primitive("folio_put").batchable().params(folio).implSlots((env, t, a) -> {
      Folio f = (Folio) a.ref(0);
      f.put();
      t.busy(f.refLine().atomic(t.machine(), t.core()));
      return null;
    }).add();
    h.primitive("folio_lock").params(folio).acquires(0, true).implSlots((env, t, a) -> {
      ((Folio) a.ref(0)).lock(t);
      return null;
    }).add();
    h.primitive("folio_trylock").batchable().params(folio).returns(Type.BOOL).tryAcquires(0, true)
        .implSlots((env, t, a) -> {
          ((Folio) a.ref(0)).trylock(t);
          return Primitive.RESULT;
        }).add();
    h.primitive("folio_unlock").batchable().params(folio).releases(0, true).implSlots((env, t, a) -> {
      Folio f = (Folio) a.ref(0);
      f.unlock(t);
      return null;
    }).add();
    // filemap_map_pmd() (mm/filemap.c) and the fixed work of the ->map_pages call around it:
    // the model has no PMD-sized folios, so it never maps the PMD and returns false.
    h.primitive("filemap_map_pmd").batchable().params(k.vmf()).returns(Type.BOOL)
        .cost("kernel.costs.map_pages_call")
        .implSlots((env, t, a) -> {
          t.busy(cost(env, MAP_PAGES_CALL));
          return false;
        }).add();
    h.primitive("pagecache_range").params(mapping, Type.INT, Type.INT).returns(folioCursor)
        .implSlots((env, t, a) -> new FolioBatchCursor((AddressSpace) a.ref(0), a.i(1),
            a.i(2))).add();
  }
}
