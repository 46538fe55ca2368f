package faultsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@code find_vma} against the VMAs listed one by one, as they are mapped, cut and joined. */
class VmaLookupProperties {
  private static final long PAGE = Kernel.PAGE_SIZE;

  @Provide
  Arbitrary<List<Integer>> ops() {
    return Arbitraries.integers().between(0, 1 << 20).list().ofMinSize(1).ofMaxSize(60);
  }

  @Property(tries = 300)
  void findVma_isTheOneVmaHoldingTheAddress(@ForAll("ops") List<Integer> ops) {
    // Each number picks an operation (mmap of 1..8 pages, munmap, split, merge with the next
    // VMA, expand into free space) and its operand; after each, addresses in, between and around
    // the VMAs are looked up. The expected answer is the VMA, among all mapped, whose range holds
    // the address (at most one: they never overlap), found by going through them all.
    Kernel k = KernelStateTest.kernel();
    AddressSpace f = k.createFile("f", FsType.EXT4, PAGE * 4096, 1.0);
    MmStruct mm = k.createMm("p");
    for (int op : ops) {
      List<Vma> vmas = new ArrayList<>(mm.vmas());
      int kind = op % 5;
      int arg = op / 5;
      if (kind == 0 || vmas.isEmpty()) {
        mm.mmap(arg % 2 == 0 ? f : null, 0, PAGE * (1 + arg % 8), false);
      } else {
        Vma v = vmas.get(arg % vmas.size());
        long pages = (v.end() - v.start()) / PAGE;
        switch (kind) {
          case 1 -> mm.munmap(v);
          case 2 -> {
            if (pages > 1) {
              mm.splitVma(v, v.start() + PAGE * (1 + arg % (pages - 1)), arg % 2 == 0);
            }
          }
          case 3 -> {
            Vma next = vmas.stream().filter(v::mergeableWith).findFirst().orElse(null);
            if (next != null) {
              mm.mergeVmas(v, next);
            }
          }
          default -> {
            long end = v.end() + PAGE * (1 + arg % 4);
            if (mm.expandable(v, end)) {
              mm.expandVma(v, end);
            }
          }
        }
      }
      for (Vma v : mm.vmas()) {
        for (long a : new long[] {v.start() - 1, v.start(), v.end() - 1, v.end(),
            (v.start() + v.end()) / 2 / PAGE * PAGE}) {
          Vma expected = null;
          for (Vma o : mm.vmas()) {
            if (o.start() <= a && a < o.end()) {
              assertThat(expected).as("VMAs overlap at %x", a).isNull();
              expected = o;
            }
          }
          assertThat(mm.findVma(a)).as("find_vma(%x)", a).isSameAs(expected);
        }
      }
    }
  }
}
