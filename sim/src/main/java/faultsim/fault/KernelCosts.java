package faultsim.fault;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the kernel model's primitives cost on the CPU, in ns, beyond the cache-line and lock costs
 * the machine charges (kernel-paths.md section C). Each is a workload setting,
 * {@code kernel.costs.<key>}, with the figure below as its default; a cost profile
 * ({@code machine: {profile: FILE}}) may carry them too, and {@code faultsim calibrate --fit
 * kernel.costs.<key>} fits them.
 *
 * <p>Figures marked "assumption" are splits of a measured total: C.5 (120-190 ns per page
 * fault-around maps, everything per page included) bounds the per-page ones, C.4 (4.8 us for one
 * file read fault that allocates a PTE page, fault-around included) and C.1/C.3 (0.5-1 us per
 * anonymous fault) bound the per-fault ones. First touches of memory nobody has cached (an
 * xarray node, a struct page) are not in these figures: the machine's cache-line model charges
 * them ({@code machine.costs.memory_fetch}).
 */
public final class KernelCosts {

  /** One cost: its setting key, default and where the figure comes from. */
  public enum Cost {
    FAULT_ENTRY("fault_entry", 150, "Exception entry and the arch handler before the VMA lookup"
        + " (C.1: ~0.5 us per anonymous fault in all; assumption)."),
    FIND_VMA("find_vma", 40, "A maple-tree walk for find_vma / mas_walk (assumption)."),
    VM_EVENT("vm_event", 1, "count_vm_event and count_vm_vma_lock_event: a this_cpu_inc of a"
        + " per-CPU counter (assumption: one instruction)."),
    PAGECACHE_LOOKUP("pagecache_lookup", 50, "A page-cache (xarray) lookup from the root, hot"
        + " (C.6: 30-80 ns; assumption)."),
    XA_WALK_START("xa_walk_start", 30, "Starting a range walk of the page cache: xas_find from"
        + " the root to the first entry (filemap_map_pages' next_uptodate_folio,"
        + " find_get_entries); C.6 lookup minus the per-entry work (assumption)."),
    XA_STEP("xa_step", 20, "One step of an xarray walk in a range (fault-around, truncate"
        + " batches; assumption bounded by C.5)."),
    XA_STORE("xa_store", 60, "Storing or erasing an xarray entry under xa_lock (assumption)."),
    MAP_PAGES_CALL("map_pages_call", 25, "What one filemap_map_pages call costs besides its"
        + " walk, its PTE lock and its PTEs: filemap_map_pmd's check of the PMD, add_mm_counter"
        + " of the RSS and the file's mmap_miss update (assumption, a few tens of instructions;"
        + " bounded by C.4 less 16 pages of C.5)."),
    PTE_OFFSET_MAP("pte_offset_map", 15, "pte_offset_map_lock's descent from the PMD to the PTE"
        + " and the lock pointer (pmd_same check under RCU since 6.5; assumption)."),
    SET_PTE("set_pte", 40, "PTE store plus rmap (C.6: 20-60 ns; assumption)."),
    ZAP_PTE("zap_pte", 20, "Clearing one present PTE during a zap (assumption)."),
    TLB_FLUSH("tlb_flush", 500, "The TLB flush at the end of a zap (mmu_gather; assumption)."),
    PTE_CTOR("pte_ctor", 30, "pagetable_pte_ctor of a new PTE page: ptlock_init and the"
        + " NR_PAGETABLE statistic (assumption)."),
    PMD_POPULATE("pmd_populate", 10, "pmd_install's store of the new PTE page into the PMD,"
        + " with mm_inc_nr_ptes and smp_wmb (assumption)."),
    FOLIO_ALLOC("folio_alloc", 150, "Allocating a page from the per-CPU free list"
        + " (rmqueue_pcplist, memcg charge; assumption); pte_alloc_one pays it too."),
    CLEAR_PAGE("clear_page", 150, "Zeroing a 4 KiB page (clear_page; within C.1's 0.5 us"
        + " anonymous fault); a new PTE page is zeroed too (GFP_PGTABLE_USER)."),
    COPY_PAGE("copy_page", 300, "Copying a 4 KiB page (copy_mc_user_highpage; assumption)."),
    VMA_CHANGE("vma_change", 1000, "Creating or removing a VMA under mmap_lock (assumption)."),
    ANON_VMA_PREPARE("anon_vma_prepare", 200, "anon_vma_prepare (assumption)."),
    GET_BLOCK("get_block", 1000, "Looking up a block mapping (ext4_map_blocks / get_block;"
        + " assumption)."),
    ALLOC_BLOCK("alloc_block", 3000, "Allocating a block in a journalled file system"
        + " (assumption)."),
    RCU_GRACE_PERIOD("rcu_grace_period", 3_000_000, "A grace period as synchronize_rcu waits it"
        + " out: every CPU must pass a quiescent state, a few jiffies on a busy HZ=1000 kernel"
        + " (Documentation/RCU/whatisRCU.rst; assumption: 3 jiffies)."),
    VMA_TREE_STEP("vma_tree_step", 30, "One step of an interval-tree walk of i_mmap"
        + " (assumption).");

    private final String key;
    private final long defaultNs;
    private final String source;

    Cost(String key, long defaultNs, String source) {
      this.key = key;
      this.defaultNs = defaultNs;
      this.source = source;
    }

    /** Its key under {@code kernel.costs}. */
    public String key() {
      return key;
    }

    public long defaultNs() {
      return defaultNs;
    }

    /** What it is and where its default comes from. */
    public String source() {
      return source;
    }
  }

  private static final Cost[] ALL = Cost.values();

  private static final Map<String, Cost> BY_KEY = byKey();

  private static Map<String, Cost> byKey() {
    Map<String, Cost> m = new LinkedHashMap<>();
    for (Cost c : ALL) {
      m.put(c.key(), c);
    }
    return m;
  }

  /** Every default. */
  public static final KernelCosts DEFAULT = new KernelCosts(defaults());

  private static long[] defaults() {
    long[] ns = new long[ALL.length];
    for (Cost c : ALL) {
      ns[c.ordinal()] = c.defaultNs();
    }
    return ns;
  }

  private final long[] ns;

  private KernelCosts(long[] ns) {
    this.ns = ns;
  }

  /** The cost named {@code key} (e.g. {@code map_pages_call}), or null. */
  public static Cost cost(String key) {
    return BY_KEY.get(key);
  }

  /** Every key, in declaration order. */
  public static java.util.Set<String> keys() {
    return BY_KEY.keySet();
  }

  public long get(Cost c) {
    return ns[c.ordinal()];
  }

  /** These costs with {@code c} set to {@code valueNs}. */
  public KernelCosts with(Cost c, long valueNs) {
    if (valueNs < 0) {
      throw new IllegalArgumentException("kernel.costs." + c.key() + " must be >= 0, was "
          + valueNs + " ns");
    }
    long[] copy = ns.clone();
    copy[c.ordinal()] = valueNs;
    return new KernelCosts(copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KernelCosts k && Arrays.equals(ns, k.ns);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ns);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("KernelCosts[");
    for (Cost c : ALL) {
      if (c.ordinal() > 0) {
        sb.append(", ");
      }
      sb.append(c.key()).append('=').append(ns[c.ordinal()]);
    }
    return sb.append(']').toString();
  }
}
