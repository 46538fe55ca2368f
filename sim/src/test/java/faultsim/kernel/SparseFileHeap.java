package faultsim.kernel;

import faultsim.engine.Engine;
import faultsim.locks.Locks;
import faultsim.machine.Core;
import faultsim.machine.Machine;
import faultsim.machine.MachineSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Random faults over a 1 TiB sparse file, reduced to the kernel state they leave: for each of
 * {@code pages} distinct pages spread over the file, the folio a fault allocates and inserts in
 * the page cache ({@code filemap_add_folio}), the line of the xarray leaf node the insertion
 * writes ({@code xa_store}), and the PTE the fault sets ({@code set_pte_at}) in the mapping
 * process's page tables. The fault path's timing and locking leave nothing per page, so this is
 * the heap a run keeps per touched page.
 *
 * <p>As a program ({@code java -Xmx512m ... SparseFileHeap PAGES}) it touches the pages; a heap
 * too small for them ends it with an {@link OutOfMemoryError}, a non-zero exit.
 */
final class SparseFileHeap {
  /** 1 TiB in pages: 2^40 / 2^12. */
  static final int TIB_PAGE_BITS = 28;

  final int pageBits;
  final Kernel kernel;
  final AddressSpace file;
  final MmStruct mm;
  final Vma vma;
  private final Core core;

  /** A file of 2^{@code pageBits} pages, mapped shared in full by one process. */
  SparseFileHeap(int pageBits) {
    this.pageBits = pageBits;
    long bytes = Kernel.PAGE_SIZE << pageBits;
    Machine m = new Machine(new Engine(), MachineSpec.of(2));
    kernel = new Kernel(m, new Locks(m));
    file = kernel.createFile("big", FsType.EXT4, bytes, 0.0);
    mm = kernel.createMm("p");
    vma = mm.mmap(file, 0, bytes, true);
    core = m.core(0);
  }

  /**
   * The {@code i}-th page touched: a bijection of [0, 2^pageBits) (odd multiplications and
   * xor-shifts modulo a power of two are each invertible), so the first n of them are n
   * distinct pages scattered over the whole file as uniformly random picks would be, with no set
   * to remember them by.
   */
  long page(long i) {
    long mask = (1L << pageBits) - 1;
    long x = i & mask;
    x = (x * 0x9E3779B1L) & mask;
    x ^= x >>> 13;
    x = (x * 0x85EBCA6BL) & mask;
    x ^= x >>> 11;
    x = (x * 0xC2B2AE35L) & mask;
    x ^= x >>> 15;
    return x;
  }

  /** The folio a major fault on page {@code index} allocates, not yet in the page cache. */
  Folio allocate(long index) {
    return file.newFolio(index);
  }

  /** {@code filemap_add_folio}: the folio enters the page cache, its xarray node is written. */
  void insert(Folio f) {
    if (!file.insertFolio(f)) {
      throw new IllegalStateException("page " + f.index() + " touched twice");
    }
    file.xaNode(f.index()).atomic(kernel.machine(), core);
  }

  /**
   * {@code finish_fault}: the PTE of the page's address maps the folio, under the PTE page's
   * split lock (made the first time a fault takes it).
   */
  void map(Folio f) {
    long address = vma.address(f.index());
    mm.setPte(address, f, false);
    mm.pteTable(address).ptl();
  }

  /** One fault's worth of state for page {@code index}. */
  void touch(long index) {
    Folio f = allocate(index);
    insert(f);
    map(f);
  }

  /**
   * Heap in use after full collections: what is reachable, give or take a few KiB, if the
   * collector compacts everything (the serial one with {@code -XX:MarkSweepDeadRatio=0}; the
   * parallel one may leave dead objects in place, a MiB or so).
   */
  static long usedHeap() {
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      System.gc();
      used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** Retained bytes per touched page, by structure. */
  record Breakdown(int pages, double folio, double pageCache, double xaNodes, double pteTables) {
    double total() {
      return folio + pageCache + xaNodes + pteTables;
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%d pages: %.3f bytes/page = folio %.3f"
          + " + page cache %.3f + xarray node lines %.3f + PTE tables %.3f", pages, total(),
          folio, pageCache, xaNodes, pteTables);
    }

    /** Reads what {@link #toString} wrote. */
    static Breakdown parse(String line) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) pages: [0-9.]+"
          + " bytes/page = folio ([0-9.]+) \\+ page cache ([0-9.]+) \\+ xarray node lines"
          + " ([0-9.]+) \\+ PTE tables ([0-9.]+)").matcher(line);
      if (!m.find()) {
        throw new IllegalArgumentException("not a breakdown: " + line);
      }
      return new Breakdown(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)),
          Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)),
          Double.parseDouble(m.group(5)));
    }
  }

  /**
   * Touches {@code pages} pages one structure at a time, measuring the heap each adds: the
   * folios alone (held by an array whose 4 bytes a reference are taken off), then the page
   * cache, the xarray node lines and the PTE tables that come to hold them.
   */
  static Breakdown measure(int pageBits, int pages) {
    Folio[] held = new Folio[pages];
    long withArray = usedHeap();
    SparseFileHeap h = new SparseFileHeap(pageBits);
    for (int i = 0; i < pages; i++) {
      held[i] = h.allocate(h.page(i));
    }
    long folios = usedHeap();
    for (Folio f : held) {
      if (!h.file.insertFolio(f)) {
        throw new IllegalStateException("page " + f.index() + " touched twice");
      }
    }
    long cached = usedHeap();
    for (Folio f : held) {
      h.file.xaNode(f.index()).atomic(h.kernel.machine(), h.core);
    }
    long nodes = usedHeap();
    for (Folio f : held) {
      h.map(f);
    }
    long mapped = usedHeap();
    if (h.file.materialisedEntries() != pages
        || h.mm.pte(h.vma.address(h.page(pages - 1))) == null) {
      throw new IllegalStateException("pages missing");
    }
    // The array must outlive the last measurement, or a collection may free it in the middle.
    java.lang.ref.Reference.reachabilityFence(held);
    double n = pages;
    // folios - withArray is the folios (and the kernel, a few KiB).
    return new Breakdown(pages, (folios - withArray) / n, (cached - folios) / n,
        (nodes - cached) / n, (mapped - nodes) / n);
  }

  /**
   * {@code SparseFileHeap PAGES}: touches that many pages of a 1 TiB file and prints how many;
   * with {@code --retained}, the heap kept per page after full collections; with
   * {@code --breakdown [BITS]}, that per structure (for a file of 2^BITS pages).
   */
  public static void main(String[] args) {
    int pages = Integer.parseInt(args[0]);
    String mode = args.length > 1 ? args[1] : "";
    if (mode.equals("--breakdown")) {
      int bits = args.length > 2 ? Integer.parseInt(args[2]) : TIB_PAGE_BITS;
      System.out.println(measure(bits, pages));
      return;
    }
    long before = mode.equals("--retained") ? usedHeap() : 0;
    SparseFileHeap h = new SparseFileHeap(TIB_PAGE_BITS);
    for (int i = 0; i < pages; i++) {
      h.touch(h.page(i));
    }
    if (h.file.materialisedEntries() != pages || h.mm.pte(h.vma.address(h.page(0))) == null) {
      throw new IllegalStateException("pages missing");
    }
    if (mode.equals("--retained")) {
      long after = usedHeap();
      System.out.printf("%d pages: %.1f bytes/page retained, %d MiB%n", pages,
          (after - before) / (double) pages, (after - before) >> 20);
    } else {
      System.out.println(pages + " pages touched");
    }
  }
}
