package faultsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;

/**
 * A PTE page keeps few entries in a sparse form and switches to a 512-slot array past
 * {@link PteTable#SPARSE_MAX}: whatever the sequence of sets and clears, it must answer exactly as
 * a plain 512-slot array does, and the folios' mapcounts must equal the PTEs mapping them.
 */
class PteTableProperties {
  @Provide
  Arbitrary<List<Tuple3<Integer, Integer, Boolean>>> ops() {
    // (slot, action: 0 clear, 1..3 set to folio action-1, writable); slots from a small range
    // so that sets hit occupied slots and the table crosses the sparse limit both ways.
    return Arbitraries.integers().between(1, 40).flatMap(range ->
        net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, range),
                Arbitraries.integers().between(0, 3), Arbitraries.of(true, false))
            .as(Tuple::of)
            .list().ofMaxSize(200));
  }

  @Property(tries = 300)
  void sparseAndDenseAgreeWithAPlainArray(
      @ForAll("ops") List<Tuple3<Integer, Integer, Boolean>> ops) {
    Kernel k = KernelStateTest.kernel();
    MmStruct mm = k.createMm("p");
    Folio[] folios = {k.newAnonFolio(0), k.newAnonFolio(1), k.newAnonFolio(2)};
    Folio[] model = new Folio[PteTable.PTRS_PER_PTE];
    boolean[] modelWritable = new boolean[PteTable.PTRS_PER_PTE];
    long base = 4 * Kernel.PMD_SIZE;
    for (Tuple3<Integer, Integer, Boolean> op : ops) {
      int slot = op.get1();
      long addr = base + slot * Kernel.PAGE_SIZE;
      if (op.get2() == 0) {
        Folio cleared = mm.clearPte(addr);
        assertThat(cleared).isSameAs(model[slot]);
        model[slot] = null;
        modelWritable[slot] = false;
      } else {
        Folio f = folios[op.get2() - 1];
        mm.setPte(addr, f, op.get3());
        model[slot] = f;
        modelWritable[slot] = op.get3();
      }
    }
    int present = 0;
    int[] maps = new int[3];
    for (int slot = 0; slot < PteTable.PTRS_PER_PTE; slot++) {
      long addr = base + slot * Kernel.PAGE_SIZE;
      assertThat(mm.pte(addr)).isSameAs(model[slot]);
      assertThat(mm.pteWritable(addr)).isEqualTo(modelWritable[slot]);
      if (model[slot] != null) {
        present++;
        for (int i = 0; i < 3; i++) {
          if (model[slot] == folios[i]) {
            maps[i]++;
          }
        }
      }
    }
    if (mm.pteTable(base) != null) {
      assertThat(mm.pteTable(base).present()).isEqualTo(present);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(folios[i].mapcount()).isEqualTo(maps[i]);
    }
  }
}
