package faultsim.oracle;

/**
 * One finding of the correctness oracle.
 *
 * @param kind {@code stale_data}, {@code beyond_eof}, {@code punch_guarantee},
 *     {@code no_progress}, {@code lock_order}, {@code invalid_context},
 *     {@code pte_after_munmap}, {@code detached_vma} or {@code pte_protection}
 * @param timeNs simulated time it was found
 * @param summary one line: what is wrong, with task, file and index
 * @param timeline the interleaving that led to it, as a two-column table of the tasks involved
 *     (empty if none was recorded)
 */
public record Violation(String kind, long timeNs, String summary, String timeline) {
  public static final String STALE_DATA = "stale_data";
  public static final String BEYOND_EOF = "beyond_eof";
  public static final String PUNCH_GUARANTEE = "punch_guarantee";
  public static final String NO_PROGRESS = "no_progress";
  public static final String LOCK_ORDER = "lock_order";
  public static final String INVALID_CONTEXT = "invalid_context";
  public static final String PTE_AFTER_MUNMAP = "pte_after_munmap";
  public static final String DETACHED_VMA = "detached_vma";
  public static final String PTE_PROTECTION = "pte_protection";

  /** Every kind, in the order results list them. */
  public static final java.util.List<String> KINDS = java.util.List.of(STALE_DATA, BEYOND_EOF,
      PUNCH_GUARANTEE, NO_PROGRESS, LOCK_ORDER, INVALID_CONTEXT, PTE_AFTER_MUNMAP, DETACHED_VMA,
      PTE_PROTECTION);

  /** What an invalid-context finding says: the line the report reads as such. */
  public static String invalidContextSummary(faultsim.machine.ContextViolation v) {
    return String.format(java.util.Locale.ROOT, "task %s: %s called in atomic context (%s)",
        v.task(), v.operation(), v.context());
  }
}
