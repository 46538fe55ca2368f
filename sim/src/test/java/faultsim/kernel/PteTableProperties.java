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
 * A PTE page keeps few entries in a sparse form, where each entry's slot is worked out from its
 * folio's index while every entry is linear (slot = index + a constant) and written out once one
 * is not, and switches to a 512-slot array past {@link PteTable#SPARSE_MAX}: whatever the
 * sequence of sets and clears, it must answer exactly as a plain 512-slot array does, and the
 * folios' mapcounts must equal the PTEs mapping them. Folios are three shared ones (not linear:
 * the same folio at many slots) and, per set, a new one whose index is linear in its slot; a
 * sequence of only the latter keeps the table linear throughout.
 */
class PteTableProperties {
  @Provide
  Arbitrary<List<Tuple3<Integer, Integer, Boolean>>> ops() {
    // (slot, action: 0 clear, 1..2 set to shared folio action-1, 3 set to a new folio linear in
    // its slot, writable); slots from a small range
    // so that sets hit occupied slots and the table crosses the sparse limit both ways.
    return Arbitraries.integers().between(1, 40).flatMap(range ->
        net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, range),
                Arbitraries.integers().between(0, 3), Arbitraries.of(true, false))
            .as(Tuple::of)
            .list().ofMaxSize(200));
  }

  @Property(tries = 300)
  void sparseAndDenseAgreeWithAPlainArray(
      @ForAll("ops") List<Tuple3<Integer, Integer, Boolean>> ops, @ForAll boolean linearOnly,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 2000) int indexBase) {
    Kernel k = KernelStateTest.kernel();
    MmStruct mm = k.createMm("p");
    Folio[] shared = {k.newAnonFolio(0), k.newAnonFolio(1), k.newAnonFolio(2)};
    List<Folio> all = new java.util.ArrayList<>(List.of(shared));
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
        Folio f;
        if (linearOnly || op.get2() == 3) {
          f = k.newAnonFolio(indexBase + slot);
          all.add(f);
        } else {
          f = shared[op.get2() - 1];
        }
        mm.setPte(addr, f, op.get3());
        model[slot] = f;
        modelWritable[slot] = op.get3();
      }
    }
    int present = 0;
    java.util.Map<Folio, Integer> maps = new java.util.IdentityHashMap<>();
    for (int slot = 0; slot < PteTable.PTRS_PER_PTE; slot++) {
      long addr = base + slot * Kernel.PAGE_SIZE;
      assertThat(mm.pte(addr)).isSameAs(model[slot]);
      assertThat(mm.pteWritable(addr)).isEqualTo(modelWritable[slot]);
      if (model[slot] != null) {
        present++;
        maps.merge(model[slot], 1, Integer::sum);
      }
    }
    if (mm.pteTable(base) != null) {
      assertThat(mm.pteTable(base).present()).isEqualTo(present);
    }
    for (Folio f : all) {
      assertThat(f.mapcount()).isEqualTo(maps.getOrDefault(f, 0));
    }
  }

  @Property(tries = 200)
  void tablesInManyGroups_areFoundWhereTheyWereMade(
      @ForAll("tableOps") List<Tuple3<Integer, Integer, Boolean>> ops) {
    // PTE pages are kept 64 to a group (128 MiB), and the mm remembers the group it last found.
    // Random makes and lookups over four groups, alternating between them, must find exactly
    // the page made for each PMD, and none where none was made: a plain map is the reference.
    Kernel k = KernelStateTest.kernel();
    MmStruct mm = k.createMm("p");
    java.util.Map<Long, PteTable> made = new java.util.HashMap<>();
    for (Tuple3<Integer, Integer, Boolean> op : ops) {
      long pmd = op.get1() * 64L + op.get2();
      long addr = pmd * Kernel.PMD_SIZE + op.get2() * Kernel.PAGE_SIZE;
      if (op.get3()) {
        PteTable t = mm.pteAlloc(addr);
        assertThat(made.computeIfAbsent(pmd, p -> t)).isSameAs(t);
      } else {
        assertThat(mm.pteTable(addr)).isSameAs(made.get(pmd));
      }
    }
    assertThat(mm.pteTables()).isEqualTo(made.size());
  }

  @Provide
  Arbitrary<List<Tuple3<Integer, Integer, Boolean>>> tableOps() {
    // (group 0..3, PMD within the group 0..5, make or look up)
    return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 3),
        Arbitraries.integers().between(0, 5), Arbitraries.of(true, false))
        .as(Tuple::of).list().ofMaxSize(60);
  }
}
