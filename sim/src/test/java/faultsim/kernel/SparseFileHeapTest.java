package faultsim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The acceptance bar for memory: random faults touching 4 Mi distinct pages of a 1 TiB sparse
 * file fit in a 512 MiB heap, well under 128 bytes per touched page, and each structure kept
 * per page costs what its field layout says.
 *
 * <p>The state is made directly through the kernel model ({@link SparseFileHeap}: the folio,
 * its page cache slot and xarray node line, its PTE and the PTE page's split lock) rather than
 * through designs and the event loop, which add nothing per page but would take minutes for 4 Mi
 * faults.
 *
 * <p>The budget, with compressed references and class pointers and 8-byte alignment (HotSpot's
 * defaults below 32 GiB of heap), each object rounded up to 8 bytes:
 *
 * <ul>
 *   <li>a cache line is a 12-byte header, the sharer mask and the time its transfer ends (8 each),
 *       a reference to its rare state and a byte of flags: 33 bytes;
 *   <li>a {@link Folio} adds its file (4), index (8), refcount and mapcount (4 each) and flags (2):
 *       55, so <b>56</b>;
 *   <li>the page cache keeps a leaf node line per touched 64 pages (33 + its entries' reference:
 *       40), an array of exactly the entries of a leaf holding two or more ({@code 16 + 4k}), a
 *       64-slot array (272) per touched 4096 pages and that array's slot of a hash table (12
 *       bytes per slot, at most three quarters full). With pages chosen uniformly, a leaf holds
 *       on average one page (4 Mi pages in 2^22 leaves): 63% of leaves are touched, so about
 *       0.63 &times; 40 + 7 (arrays of multi-entry leaves) + 4.3 (groups) = <b>37</b> a page;
 *   <li>a PTE page ({@link PteTable}) per touched 2 MiB is a line (33) with two shorts, an int
 *       and three references: 56; its split lock 32 (a {@code Spinlock}: header, machine,
 *       class, line, last acquire site, and the owner or, once a task has spun, the spinners);
 *       its folio array {@code 16 + 4k}, and a slot in an array of 64 PTE pages; 4 Mi pages in
 *       2^19 PTE pages put 8 in each: (56 + 32 + 48 + 4.3) / 8 = <b>18</b> a page.
 * </ul>
 *
 * <p>Total 111 bytes a page, under a budget of 112: 16 under 128, room for a long and an int
 * more per cache line in a folio (those would also add 16 to each leaf node line and PTE page,
 * about 12 a page more).
 */
final class SparseFileHeapTest {
  /** Bytes per touched page, all structures: 16 under the bar of 128. */
  static final double BUDGET = 112;

  private static long align8(long bytes) {
    return (bytes + 7) & ~7L;
  }

  /** Bytes a {@code LongMap} of {@code keys} entries has grown by from its first 16 slots. */
  private static long longMapGrowth(int keys) {
    int cap = 16;
    for (int size = 0; size < keys; size++) {
      if ((size + 1) * 4 >= cap * 3) {
        cap *= 2;
      }
    }
    return 12L * (cap - 16);
  }

  private static boolean hotspotDefaults() {
    HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(
        HotSpotDiagnosticMXBean.class);
    return hs != null && hs.getVMOption("UseCompressedOops").getValue().equals("true")
        && hs.getVMOption("UseCompressedClassPointers").getValue().equals("true")
        && hs.getVMOption("ObjectAlignmentInBytes").getValue().equals("8");
  }

  @Test
  void perPageHeap_matchesTheFieldLayout_andStaysUnderBudget() throws Exception {
    assumeTrue(hotspotDefaults(), "object sizes below assume HotSpot's compressed layout");
    // A quarter of the bar's run with the same density: 1 Mi pages of a 256 GiB file (2^26
    // pages) put on average one page in a leaf node, 64 in a 4096-page group and 8 in a PTE
    // page, as 4 Mi pages of 1 TiB do, so the bytes per page are the bar's. Measured in a
    // child whose collector compacts the whole heap, so that used heap is what is reachable,
    // and clears softly reachable objects at every collection: the JDK's soft caches are
    // otherwise kept or dropped by how long they went unused, so a busy machine could drop
    // a few MiB of them between two measurements and count that against the folios.
    int bits = 26;
    int pages = 1 << 20;
    Process p = child(List.of("-Xmx1g", "-XX:+UseSerialGC", "-XX:MarkSweepDeadRatio=0",
        "-XX:SoftRefLRUPolicyMSPerMB=0"),
        Integer.toString(pages), "--breakdown", Integer.toString(bits));
    String out = output(p);
    assertThat(p.exitValue()).as(out).isZero();
    SparseFileHeap.Breakdown b = SparseFileHeap.Breakdown.parse(out);

    // The expected bytes of each structure, from the pages actually chosen.
    SparseFileHeap h = new SparseFileHeap(bits);
    Map<Long, Integer> perLeaf = new HashMap<>();
    Map<Long, Integer> perTable = new HashMap<>();
    Set<Long> groups = new HashSet<>();
    Set<Long> tableGroups = new HashSet<>();
    for (int i = 0; i < pages; i++) {
      long index = h.page(i);
      perLeaf.merge(index >> 6, 1, Integer::sum);
      groups.add(index >> 12);
      // The mapping starts 2 MiB-aligned at file page 0: the PTE page is index / 512.
      perTable.merge(index >> 9, 1, Integer::sum);
      tableGroups.add(index >> 15);
    }
    long pageCache = 40L * perLeaf.size() + 272L * groups.size()
        + longMapGrowth(groups.size());
    for (int k : perLeaf.values()) {
      pageCache += k >= 2 ? align8(16 + 4L * k) : 0;
    }
    long pte = 272L * tableGroups.size() + longMapGrowth(tableGroups.size());
    for (int k : perTable.values()) {
      pte += 56 + 32 + align8(16 + 4L * k);
    }
    double n = pages;
    // Within 0.1 byte a page (100 KiB in all): the kernel, its machine and locks come with the
    // folios, and a collection leaves a few KiB more or less.
    assertThat(b.folio()).as(b.toString()).isCloseTo(56.0, within(0.1));
    assertThat(b.pageCache() + b.xaNodes()).as(b.toString()).isCloseTo(pageCache / n,
        within(0.1));
    assertThat(b.pteTables()).as(b.toString()).isCloseTo(pte / n, within(0.1));
    assertThat(b.total()).as(b.toString()).isLessThan(BUDGET);
  }

  @Test
  void fourMebiPagesOfATebibyteFile_fitIn512MiBOfHeap() throws Exception {
    // 4 Mi pages at 111 bytes are 444 MiB. The serial collector with a 24 MiB young generation
    // leaves the rest of the 512 MiB to what is kept, and runs on one thread, so the child
    // costs one core for about 15 s.
    Process ok = child(List.of("-Xmx512m", "-XX:+UseSerialGC", "-Xmn24m"),
        Integer.toString(4 << 20));
    String out = output(ok);
    assertThat(ok.exitValue()).as(out).isZero();
    assertThat(out).contains((4 << 20) + " pages touched");
  }

  @Test
  void childOutOfHeap_exitsNonZero() throws Exception {
    // The same child in a heap far too small ends with an OutOfMemoryError and a non-zero
    // status, which is what the test above would see if the pages did not fit.
    Process p = child(List.of("-Xmx32m", "-XX:+UseSerialGC", "-Xmn8m"),
        Integer.toString(4 << 20));
    String out = output(p);
    assertThat(p.exitValue()).as(out).isNotZero();
    assertThat(out).contains("OutOfMemoryError");
  }

  /** A JVM with {@code options} running {@link SparseFileHeap#main} with {@code args}. */
  private static Process child(List<String> options, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    cmd.addAll(options);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        SparseFileHeap.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the child did not finish in 120 s: " + cmd);
    }
    return p;
  }

  private static String output(Process p) throws Exception {
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
