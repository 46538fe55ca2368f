package faultsim.hunt;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import faultsim.lang.Primitive;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a primitive call touches of the state tasks share, as the {@code pairs} strategy pairs
 * them: a range of a mapping's page-cache indices (a folio, a lookup, a walk, the blocks
 * freed), a range of an mm's user addresses (a PTE looked at or set, a range zapped), a
 * mapping's {@code i_size}, or a lock. Two calls of different tasks conflict when they touch
 * overlapping ranges of the same object in the same space.
 *
 * @param space what kind of state
 * @param object the mapping, mm or lock, numbered by first appearance in the run
 * @param lo first index or address touched
 * @param hi one past the last
 * @param removes true for a call that takes state away or changes it under others (removes a
 *     folio from the page cache, frees blocks, zaps PTEs, changes {@code i_size}, publishes a
 *     hole punch) or takes a lock exclusively; false for one that reads, adds or maps
 */
record Access(Space space, int object, long lo, long hi, boolean removes) {
  /** The kinds of shared state. */
  enum Space { PAGE, PTE, ISIZE, LOCK }

  /** Whether the two touch overlapping state of the same object. */
  boolean overlaps(Access o) {
    return space == o.space && object == o.object && lo < o.hi && o.lo < hi;
  }

  /** Calls that take state away from others (mm/truncate.c, mm/memory.c, fs/ext4/inode.c). */
  private static final Set<String> REMOVING = Set.of("__filemap_remove_folio",
      "xa_erase_value", "free_blocks", "zap_pte_range", "i_size_write", "shmem_falloc_begin");
  /** Numbers the objects of one run by first appearance (deterministic, as the run is). */
  static final class Ids {
    private final Map<Object, Integer> ids = new IdentityHashMap<>();
    private final Map<Object, Map<String, Integer>> fields = new IdentityHashMap<>();
    private int next;

    int of(Object o) {
      return ids.computeIfAbsent(o, k -> next++);
    }

    /** The lock {@code field} (its class) of the object {@code o}: an mm's mmap_lock. */
    int of(Object o, String field) {
      return fields.computeIfAbsent(o, k -> new java.util.HashMap<>())
          .computeIfAbsent(field, k -> next++);
    }
  }

  /**
   * What a call of {@code p} with {@code args} touches; empty for none modelled. The locks it
   * takes are the ones it declares ({@link Primitive#lockEffects}): each acquisition, a
   * trylock's included (when it succeeds it excludes as the lock does; when it fails, forcing
   * the other holder in first is what makes it fail), exclusive if for write; a range lock's
   * over its whole tree (two ranges that do not overlap make a pair whose order changes
   * nothing).
   */
  static List<Access> of(Primitive p, Object[] args, Ids ids) {
    String primitive = p.name();
    List<Access> out = new ArrayList<>(2);
    boolean removes = REMOVING.contains(primitive);
    switch (primitive) {
      case "filemap_get_folio", "filemap_alloc_folio", "xa_is_value", "filemap_folio_present",
          "shmem_swap_lookup", "dax_insert_entry", "get_block", "shmem_falloc_waits",
          "xa_erase_value" -> page(out, args[0], (Long) args[1], (Long) args[1] + 1, removes,
              ids);
      case "pagecache_range", "find_get_entries", "free_blocks", "shmem_falloc_begin" ->
          page(out, args[0], (Long) args[1], (Long) args[2], removes, ids);
      case "__filemap_add_folio" -> folio(out, args[1], removes, ids);
      case "__filemap_remove_folio", "filemap_read_folio", "folio_mark_uptodate",
          "folio_zero_fill", "folio_try_get", "folio_trylock" -> folio(out, args[0], removes,
              ids);
      case "set_pte_at" -> {
        if (args[0] instanceof Vma v) {
          pte(out, v.mm(), (Long) args[1], (Long) args[1] + 1, false, ids);
        }
        folio(out, args[2], false, ids);
      }
      case "zap_pte_range" -> {
        if (args[0] instanceof Vma v) {
          pte(out, v.mm(), (Long) args[1], (Long) args[2], true, ids);
        }
      }
      case "pte_none", "pte_folio", "pte_write" -> pte(out, args[0], (Long) args[1],
          (Long) args[1] + 1, false, ids);
      case "i_size_read", "i_size_write" -> {
        if (args[0] instanceof AddressSpace m) {
          out.add(new Access(Space.ISIZE, ids.of(m), 0, 1, removes));
        }
      }
      default -> {
        // Folio locks are page-cache accesses too: the page a truncate waits on.
        if (primitive.equals("folio_lock")) {
          folio(out, args[0], false, ids);
        }
      }
    }
    if (!p.retakes()) {
      for (Primitive.LockEffect e : p.lockEffects()) {
        // A context lock (an RCU read-side section, preempt_disable) is the task's own and
        // excludes no other task: no pair to force.
        if (e.action() == Primitive.LockAction.RELEASE || e.onContext()) {
          continue;
        }
        Object lock = args[e.arg()];
        if (lock != null) {
          int id = e.field() == null ? ids.of(lock) : ids.of(lock, p.lockClass(e));
          out.add(new Access(Space.LOCK, id, 0, 1, e.write()));
        }
      }
    }
    return out;
  }

  private static void page(List<Access> out, Object mapping, long lo, long hi, boolean removes,
      Ids ids) {
    if (mapping instanceof AddressSpace m && hi > lo) {
      out.add(new Access(Space.PAGE, ids.of(m), lo, hi, removes));
    }
  }

  private static void folio(List<Access> out, Object folio, boolean removes, Ids ids) {
    if (folio instanceof Folio f && !f.isAnon() && f.mapping() != null) {
      out.add(new Access(Space.PAGE, ids.of(f.mapping()), f.index(), f.index() + 1, removes));
    }
  }

  private static void pte(List<Access> out, Object mm, long lo, long hi, boolean removes,
      Ids ids) {
    if (mm instanceof MmStruct m && hi > lo) {
      out.add(new Access(Space.PTE, ids.of(m), lo, hi, removes));
    }
  }
}
