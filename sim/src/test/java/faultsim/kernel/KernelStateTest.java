package faultsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.engine.Engine;
import faultsim.locks.Locks;
import faultsim.machine.Machine;
import faultsim.machine.MachineSpec;
import org.junit.jupiter.api.Test;

/** The kernel state: page cache, VMAs, page tables, and memory that grows with use only. */
final class KernelStateTest {
  static Kernel kernel() {
    Machine m = new Machine(new Engine(), MachineSpec.of(2));
    return new Kernel(m, new Locks(m));
  }

  @Test
  void sparseTerabyteFile_touchingFewPages_materialisesOnlyThose() {
    Kernel k = kernel();
    // 1 TiB = 2^40 bytes = 2^28 pages; nothing is cached at start.
    AddressSpace f = k.createFile("big", FsType.EXT4, 1L << 40, 0.0);
    MmStruct mm = k.createMm("p");
    Vma v = mm.mmap(f, 0, 1L << 40, true);
    // Touch one page in every 2 MiB of the first 1000 PMDs, and one near the end of the file.
    for (long i = 0; i < 1000; i++) {
      long index = i * 512;
      Folio folio = f.addFolio(index);
      mm.setPte(v.address(index), folio, false);
    }
    Folio last = f.addFolio((1L << 28) - 1);
    mm.setPte(v.address((1L << 28) - 1), last, false);

    assertThat(f.materialisedEntries()).isEqualTo(1001);
    assertThat(mm.pteTables()).isEqualTo(1001);
    assertThat(mm.pte(v.address((1L << 28) - 1))).isSameAs(last);
    assertThat(mm.pte(v.address(1))).isNull();
  }

  @Test
  void initiallyCachedFraction_isTheSameForEveryLookupOrder() {
    // Half the pages start cached, chosen by a hash of the index: two kernels looking the pages
    // up in opposite orders see the same set.
    Kernel a = kernel();
    Kernel b = kernel();
    AddressSpace fa = a.createFile("f", FsType.XFS, 4096L * 1000, 0.5);
    AddressSpace fb = b.createFile("f", FsType.XFS, 4096L * 1000, 0.5);
    int cached = 0;
    for (int i = 0; i < 1000; i++) {
      boolean ca = fa.folio(i) != null;
      boolean cb = fb.folio(999 - i) != null;
      cached += ca ? 1 : 0;
      assertThat(ca).isEqualTo(fb.folio(i) != null);
      assertThat(cb).isEqualTo(fa.folio(999 - i) != null);
    }
    // Binomial(1000, 0.5): 500 +- 3 standard deviations (47).
    assertThat(cached).isBetween(453, 547);
  }

  @Test
  void removeFolio_detachesIt_andFreeBlocksAdvancesGeneration() {
    Kernel k = kernel();
    AddressSpace f = k.createFile("f", FsType.EXT4, 4096L * 16, 1.0);
    Folio old = f.folio(3);
    assertThat(old.generation()).isZero();
    f.removeFolio(old);
    f.freeBlocks(0, 8);
    assertThat(old.mapping()).isNull();
    assertThat(f.folio(3)).isNull();
    Folio fresh = f.addFolio(3);
    assertThat(fresh.generation()).isEqualTo(1);
    assertThat(f.dataGeneration(9)).isZero();
  }

  @Test
  void pteTable_coversOnePmd_andCountsPresentEntries() {
    Kernel k = kernel();
    AddressSpace f = k.createFile("f", FsType.EXT4, Kernel.PMD_SIZE * 2, 1.0);
    MmStruct mm = k.createMm("p");
    Vma v = mm.mmap(f, 0, Kernel.PMD_SIZE * 2, false);
    // Indices 511 and 512 straddle the 2 MiB boundary: two PTE pages, two different PTLs.
    mm.setPte(v.address(511), f.folio(511), false);
    mm.setPte(v.address(512), f.folio(512), false);
    assertThat(mm.pteTables()).isEqualTo(2);
    assertThat(mm.pteTable(v.address(511)).ptl()).isNotSameAs(mm.pteTable(v.address(512)).ptl());
    assertThat(mm.pteTable(v.address(0)).ptl()).isSameAs(mm.pteTable(v.address(511)).ptl());
    assertThat(f.folio(511).mapcount()).isEqualTo(1);
    mm.clearPte(v.address(511));
    assertThat(f.folio(511).mapcount()).isZero();
    assertThat(mm.pteTable(v.address(511)).present()).isZero();
  }
}
