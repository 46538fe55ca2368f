package faultsim.oracle;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import faultsim.lang.Primitive;
import faultsim.machine.LockInstance;
import java.util.List;
import java.util.Locale;

/**
 * Which recorded steps touched the state a violation is about: a page-cache index, a PTE, a VMA,
 * {@code i_size}, a lock. A query over a task's trace records ({@link TaskTrace#records}): it
 * reads each step's primitive name and the host objects and integers it was called with, so it
 * does not depend on how the trace stores them.
 */
final class Touches {
  private Touches() {}

  /** What a step did to the state. */
  enum Role {
    /** Looked it up or read a flag: context. */
    LOOK,
    /** Relied on it: added, read or mapped it. */
    USE,
    /** Changed it under others: removed, freed, zapped, resized, took the lock. */
    CHANGE,
    /** Let go of it: a lock released. */
    RELEASE
  }

  /** A step's touch of the state: its role and what it did, as a verb phrase. */
  record Touch(Role role, String what) {}

  /** The state a violation is about. */
  interface Target {
    /** What {@code r} did to this state, or null if it did not touch it. */
    Touch touch(TaskTrace.Record r);
  }

  /** Several states at once: the first that a step touches. */
  static Target anyOf(List<Target> targets) {
    return r -> {
      for (Target t : targets) {
        Touch x = t.touch(r);
        if (x != null) {
          return x;
        }
      }
      return null;
    };
  }

  // ---- page cache, blocks and PTEs of a file index ------------------------------------------

  /** Page-cache index {@code index} of {@code mapping}: its folio, its blocks, its PTEs. */
  static Target index(AddressSpace mapping, long index) {
    return pages(mapping, index, index + 1);
  }

  /** Pages [{@code start}, {@code end}) of {@code mapping}, as {@link #index} for each. */
  static Target pages(AddressSpace mapping, long start, long end) {
    String what = end == start + 1 ? "index " + start
        : "pages [" + start + ", " + end + ")";
    return r -> pageTouch(r, mapping, start, end, what);
  }

  private static Touch pageTouch(TaskTrace.Record r, AddressSpace m, long start, long end,
      String what) {
    if (r.args() == null) {
      return null;
    }
    String name = r.name();
    Object a0 = r.arg(0);
    // A folio of the range (a removed one keeps its index; its mapping is then null).
    for (Object o : r.args()) {
      if (o instanceof Folio f && !f.isAnon() && (f.mapping() == m || f.mapping() == null)
          && f.index() >= start && f.index() < end) {
        String at = end == start + 1 ? what : "index " + f.index();
        return switch (name) {
          case "__filemap_add_folio" -> new Touch(Role.USE, "adds " + at
              + " to the page cache");
          case "filemap_read_folio" -> new Touch(Role.USE, "reads " + at + " from its blocks");
          case "readahead_add" -> new Touch(Role.USE, "queues " + at + " for read-around");
          case "folio_zero_fill" -> new Touch(Role.USE, "zero-fills " + at);
          case "set_pte_at" -> new Touch(Role.USE, "maps " + at + " at "
              + hex(r.longArg(1, 0)));
          case "__filemap_remove_folio" -> new Touch(Role.CHANGE, "removes " + at
              + " from the page cache");
          case "shmem_replace_swap" -> new Touch(Role.USE, "swaps " + at + " back in");
          case "shmem_writeout" -> new Touch(Role.CHANGE, "swaps " + at + " out");
          default -> new Touch(Role.LOOK, name + " of " + at);
        };
      }
    }
    if (a0 == m && r.arg(1) instanceof Long i) {
      long b = r.arg(2) instanceof Long e ? e : i + 1;
      boolean range = r.args().length >= 3 && r.arg(2) instanceof Long;
      if (name.equals("i_size_write")) {
        long pages = (i + Kernel.PAGE_SIZE - 1) / Kernel.PAGE_SIZE;
        return pages < end ? new Touch(Role.CHANGE, "sets i_size to " + pages + " pages") : null;
      }
      if (range ? i >= end || b <= start : i < start || i >= end) {
        return null;
      }
      return switch (name) {
        case "free_blocks" -> new Touch(Role.CHANGE, "frees the blocks of " + what);
        case "pagecache_range", "find_get_entries", "vma_interval_tree" -> new Touch(Role.LOOK,
            name + " over " + what);
        case "get_block" -> new Touch(Role.USE, "maps the block of " + what);
        case "dax_insert_entry" -> new Touch(Role.USE, "inserts the DAX entry of " + what);
        case "xa_erase_value" -> new Touch(Role.CHANGE, "erases the swap entry of " + what);
        case "shmem_falloc_begin" -> new Touch(Role.LOOK, "announces the punch of " + what);
        default -> new Touch(Role.LOOK, name + " of " + what);
      };
    }
    if (a0 instanceof Vma v && v.file() == m && r.arg(1) instanceof Long addr) {
      long first = v.pgoff() + (addr - v.start()) / Kernel.PAGE_SIZE;
      long last = r.arg(2) instanceof Long e && !name.equals("set_pte_at")
          ? v.pgoff() + (e - v.start() - 1) / Kernel.PAGE_SIZE : first;
      if (last < start || first >= end) {
        return null;
      }
      long lo = Math.max(first, start);
      long hi = Math.min(last, end - 1);
      String these = lo == hi ? "index " + lo : "pages [" + lo + ", " + (hi + 1) + ")";
      return switch (name) {
        case "zap_pte_range" -> new Touch(Role.CHANGE, "unmaps " + these);
        case "change_pte_range" -> new Touch(Role.CHANGE, "changes the protection of " + these);
        case "set_pte_at" -> new Touch(Role.USE, "maps a private copy of " + these + " at "
            + hex(addr));
        default -> null;
      };
    }
    return null;
  }

  // ---- one PTE -------------------------------------------------------------------------------

  /** The PTE at {@code address} of {@code mm}. */
  static Target pte(MmStruct mm, long address) {
    long page = address / Kernel.PAGE_SIZE * Kernel.PAGE_SIZE;
    String what = "the PTE at " + hex(page);
    return r -> {
      Object a0 = r.arg(0);
      MmStruct of = a0 instanceof MmStruct x ? x : a0 instanceof Vma v ? v.mm() : null;
      if (of != mm || !(r.arg(1) instanceof Long a)) {
        return null;
      }
      boolean range = a0 instanceof Vma && r.arg(2) instanceof Long
          && !r.name().equals("set_pte_at");
      long end = range ? r.longArg(2, a) : a + 1;
      if (page + Kernel.PAGE_SIZE <= a || page >= end) {
        return null;
      }
      return switch (r.name()) {
        case "set_pte_at" -> new Touch(Role.USE, "sets " + what);
        case "pte_mkwrite" -> new Touch(Role.USE, "makes " + what + " writable");
        case "zap_pte_range" -> new Touch(Role.CHANGE, "zaps " + what);
        case "change_pte_range" -> new Touch(Role.CHANGE, "changes the protection of " + what);
        case "find_vma" -> new Touch(Role.LOOK, "looks up the VMA at " + hex(page));
        case "pte_none", "pte_folio", "pte_write" -> new Touch(Role.LOOK, "reads " + what);
        default -> range ? new Touch(Role.CHANGE, r.name() + " over " + what) : null;
      };
    };
  }

  // ---- a VMA ---------------------------------------------------------------------------------

  /** The VMA {@code v} (the object: its range may have moved since), PTEs set in it included. */
  static Target vma(Vma v) {
    return vma(v, true);
  }

  /**
   * The VMA {@code v} itself: looked up, split, merged, resized, its flags changed, freed; with
   * {@code ptes}, also the PTEs set, zapped or changed through it.
   */
  static Target vma(Vma v, boolean ptes) {
    return r -> {
      if (r.args() == null) {
        return null;
      }
      boolean named = false;
      for (Object o : r.args()) {
        named |= o == v;
      }
      if (!named) {
        if (r.name().equals("find_vma") && r.arg(0) == v.mm() && r.arg(1) instanceof Long a
            && v.contains(a)) {
          return new Touch(Role.LOOK, "looks up " + v);
        }
        return null;
      }
      if (!ptes && (r.name().equals("set_pte_at") || r.name().equals("zap_pte_range")
          || r.name().equals("change_pte_range"))) {
        return null;
      }
      return switch (r.name()) {
        case "remove_vma" -> new Touch(Role.CHANGE, "frees " + v);
        case "vma_merge" -> new Touch(Role.CHANGE, "merges " + v + " away");
        case "split_vma" -> new Touch(Role.CHANGE, "splits " + v);
        case "vma_expand" -> new Touch(Role.CHANGE, "resizes " + v);
        case "vm_flags_reset" -> new Touch(Role.CHANGE, "changes the vm_flags of " + v);
        case "zap_pte_range" -> new Touch(Role.CHANGE, "zaps PTEs of " + v);
        case "change_pte_range" -> new Touch(Role.CHANGE, "changes the PTEs of " + v);
        case "set_pte_at" -> new Touch(Role.USE, "sets a PTE at " + hex(r.longArg(1, 0))
            + " in " + v);
        default -> lockTouch(r, lockOf(r));
      };
    };
  }

  // ---- locks ---------------------------------------------------------------------------------

  /**
   * A lock operation of a step: on what (the lock, or the mm or mapping a wrapper such as
   * {@code mmap_read_lock} takes it through), its lockdep class, and whether it takes or releases
   * it, for write or read.
   */
  record LockOp(Object owner, String className, boolean acquire, boolean write) {
    /** Whether this and {@code o} are operations on the same lock. */
    boolean sameLock(LockOp o) {
      return owner == o.owner && className.equals(o.className);
    }
  }

  /**
   * The lock operation {@code r} is, from what its primitive declares it does to locks
   * ({@link Primitive#lockEffects}), or null. A primitive that releases a lock and takes it
   * again ({@code downgrade_write}) leaves it held: neither.
   */
  static LockOp lockOf(TaskTrace.Record r) {
    Primitive p = r.primitive();
    if (p == null || r.args() == null || p.lockEffects().isEmpty() || p.retakes()) {
      return null;
    }
    Primitive.LockEffect e = p.lockEffects().get(0);
    String cls = p.lockClass(e);
    Object lock = e.onContext() ? null : r.arg(e.arg());
    if (e.field() != null) {
      // A lock of an mm or mapping, or of the context: by what holds it (its class if unknown).
      return new LockOp(lock == null ? cls : lock, cls, e.action() != Primitive.LockAction.RELEASE,
          e.write());
    }
    if (lock == null) {
      return null;
    }
    if (cls == null) {
      cls = lock instanceof LockInstance li ? li.className() : String.valueOf(lock);
    }
    return new LockOp(lock, cls, e.action() != Primitive.LockAction.RELEASE, e.write());
  }

  /** The lock {@code lock}: its acquisitions and releases (wrappers by class). */
  static Target lock(LockInstance lock) {
    return r -> {
      LockOp op = lockOf(r);
      if (op == null || !(op.owner() == lock || (!(op.owner() instanceof LockInstance)
          && op.className().equals(lock.className())))) {
        return null;
      }
      return lockTouch(r, op);
    };
  }

  /** Every lock of class {@code className}. */
  static Target lockClass(String className) {
    return r -> {
      LockOp op = lockOf(r);
      return op == null || !op.className().equals(className) ? null : lockTouch(r, op);
    };
  }

  private static Touch lockTouch(TaskTrace.Record r, LockOp op) {
    if (op == null) {
      return null;
    }
    if (!op.acquire()) {
      return new Touch(Role.RELEASE, "releases " + op.className());
    }
    return new Touch(Role.CHANGE, (tries(r.primitive()) ? "tries " : "takes ")
        + op.className() + (op.write() ? "" : " shared"));
  }

  /**
   * Whether {@code p} is a trylock: it may take a lock without waiting and says whether it did
   * ({@code __folio_set_locked}, which may not wait either, takes a lock nobody else can hold).
   */
  private static boolean tries(Primitive p) {
    for (Primitive.LockEffect e : p.lockEffects()) {
      if (e.action() == Primitive.LockAction.TRY_ACQUIRE && p.returns() != faultsim.lang.Type.VOID) {
        return true;
      }
    }
    return false;
  }

  private static String hex(long v) {
    return "0x" + Long.toHexString(v).toLowerCase(Locale.ROOT);
  }
}
