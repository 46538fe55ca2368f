package faultsim.fault;

/**
 * What the kernel model's primitives cost on the CPU, in ns, beyond the cache-line and lock costs
 * the machine charges (kernel-paths.md section C). Figures marked "assumption" are the split of
 * C.5 that C.6 suggests; they are bounded above by the measured per-page fault-around cost of
 * about 120-190 ns.
 */
public final class KernelCosts {
  private KernelCosts() {}

  /** Exception entry and the arch handler before the VMA lookup (C.1: ~0.5 us per fault). */
  public static final long FAULT_ENTRY_NS = 150;
  /** A maple-tree walk for {@code find_vma} (assumption). */
  public static final long FIND_VMA_NS = 40;
  /** A page-cache (xarray) lookup, hot (C.6: 30-80 ns, assumption). */
  public static final long PAGECACHE_LOOKUP_NS = 50;
  /** One step of an xarray walk in a range (fault-around, truncate batches; assumption). */
  public static final long XA_STEP_NS = 20;
  /** Storing or erasing an xarray entry under {@code xa_lock} (assumption). */
  public static final long XA_STORE_NS = 60;
  /** PTE store plus rmap (C.6: 20-60 ns, assumption). */
  public static final long SET_PTE_NS = 40;
  /** Clearing one present PTE during a zap (assumption). */
  public static final long ZAP_PTE_NS = 20;
  /** The TLB flush at the end of a zap (mmu_gather; assumption). */
  public static final long TLB_FLUSH_NS = 500;
  /** Allocating a PTE page ({@code pte_alloc_one}; part of C.4's 4.8 us, assumption). */
  public static final long PTE_ALLOC_NS = 500;
  /** Allocating a folio (assumption). */
  public static final long FOLIO_ALLOC_NS = 150;
  /** Zeroing a 4 KiB page ({@code clear_page}; within C.1's 0.5 us anonymous fault). */
  public static final long CLEAR_PAGE_NS = 150;
  /** Copying a 4 KiB page ({@code copy_mc_user_highpage}; assumption). */
  public static final long COPY_PAGE_NS = 300;
  /** Creating or removing a VMA under {@code mmap_lock} (assumption). */
  public static final long VMA_CHANGE_NS = 1000;
  /** {@code anon_vma_prepare} (assumption). */
  public static final long ANON_VMA_PREPARE_NS = 200;
  /** Looking up a block mapping ({@code ext4_map_blocks} / {@code get_block}, assumption). */
  public static final long GET_BLOCK_NS = 1000;
  /** Allocating a block in a journalled file system (assumption). */
  public static final long ALLOC_BLOCK_NS = 3000;
  /**
   * A grace period as {@code synchronize_rcu} waits it out: every CPU must pass a quiescent
   * state, which on a busy HZ=1000 kernel takes a few jiffies (Documentation/RCU/whatisRCU.rst:
   * synchronize_rcu "can be delayed for ... milliseconds"; assumption: 3 jiffies).
   */
  public static final long RCU_GRACE_PERIOD_NS = 3_000_000;
  /** One step of an interval-tree walk of {@code i_mmap} (assumption). */
  public static final long VMA_TREE_STEP_NS = 30;
}
