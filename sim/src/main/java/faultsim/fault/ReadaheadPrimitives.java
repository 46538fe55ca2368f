package faultsim.fault;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.lang.Host;
import faultsim.lang.Type;
import java.util.List;

import static faultsim.fault.KernelHost.*;
import static faultsim.fault.KernelCosts.Cost.*;

/**
 * Primitives of readahead (mm/readahead.c): the readahead control, its locked new folios and their
 * reads (kernel-paths.md C.12).
 */
final class ReadaheadPrimitives {
  private ReadaheadPrimitives() {}

  static void addTo(KernelTypes k) {
    Host h = k.h();
    Type mm = k.mm();
    Type mapping = k.mapping();
    Type folio = k.folio();
    h.primitiveSource("mm/readahead.c");
    Type ractl = h.defineType("readahead_control", Readahead.class);
    Type raCursor = h.cursorType("readahead_folios_cursor", folio);
    h.global("ra_pages", Type.INT, env -> env.context(KernelContext.class).spec()
        .readAheadPages());
    h.primitive("filemap_folio_present").params(mapping, Type.INT).returns(Type.BOOL)
        .implSlots((env, t, a) -> {
          t.busy(xaLoadNs(env, t, (AddressSpace) a.ref(0), a.i(1)));
          return ((AddressSpace) a.ref(0)).folio(a.i(1)) != null;
        }).add();
    h.primitive("readahead_begin").params(mapping).returns(ractl)
        .implSlots((env, t, a) -> new Readahead((AddressSpace) a.ref(0))).add();
    h.primitive("readahead_add").params(ractl, folio).implSlots((env, t, a) -> {
      Readahead r = (Readahead) a.ref(0);
      Folio f = (Folio) a.ref(1);
      requireFolioLocked(t, f, "readahead_add");
      if (f.mapping() != r.mapping) {
        throw t.fault("readahead_add(" + f + "): not a folio of " + r.mapping);
      }
      r.folios.add(f);
      return null;
    }).add();
    h.primitive("read_pages").params(ractl).implSlots((env, t, a) -> {
      Readahead r = (Readahead) a.ref(0);
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
        .implSlots((env, t, a) -> new ListCursor(List.copyOf(((Readahead) a.ref(0)).folios), 0))
        .add();
  }
}
