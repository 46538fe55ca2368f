package faultsim.fault;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.kernel.MmStruct;
import faultsim.lang.Args;
import faultsim.lang.Host;
import faultsim.lang.Primitive;
import faultsim.lang.Type;
import faultsim.locks.Lock;
import faultsim.locks.RwSemaphore;
import faultsim.machine.Task;
import java.util.function.Function;
import static faultsim.fault.KernelCosts.Cost.RCU_GRACE_PERIOD;
import static faultsim.fault.KernelHost.cost;

/**
 * The kernel's wrappers around the locks of the modelled structs, under their own names, so that
 * a design reads as the kernel code it copies: {@code mmap_read_lock(mm)} is
 * {@code down_read(&mm->mmap_lock)} (include/linux/mmap_lock.h), {@code filemap_invalidate_lock}
 * takes {@code &mapping->invalidate_lock} (include/linux/fs.h), {@code i_mmap_lock_read} takes
 * {@code &mapping->i_mmap_rwsem} (include/linux/fs.h). Each takes the same lock as the field
 * would, so lock_stat, the oracle and {@code explain} see one lock. Also
 * {@code synchronize_rcu} (kernel/rcu/tree.c) and {@code folio_wait_locked} (mm/filemap.c).
 */
final class ApiPrimitives {
  private ApiPrimitives() {}

  static void addTo(Host h, Type mm, Type mapping, Type folio) {
    rwsemWrappers(h, mm, "mmap_lock", "include/linux/mmap_lock.h",
        o -> ((MmStruct) o).mmapLock(), "mmap_read_lock", "mmap_read_unlock",
        "mmap_read_trylock", "mmap_write_lock", null, "mmap_write_trylock");
    // mmap_write_unlock / mmap_write_downgrade end the VMA write locks of this mmap_lock write
    // epoch first (vma_end_write_all: mm->mm_lock_seq++), as 6.4+ does.
    h.primitive("mmap_write_unlock").params(mm).releasesField(0, "mmap_lock", true)
        .wraps("up_write(&mm->mmap_lock)").source("include/linux/mmap_lock.h").cost("vma_end_write_all, then up_write")
        .implSlots((env, t, a) -> {
          MmStruct m = mmArg(a, t, "mmap_write_unlock");
          m.advanceMmLockSeq();
          m.mmapLock().release(t, true);
          return null;
        }).add();
    h.primitive("mmap_write_downgrade").params(mm).releasesField(0, "mmap_lock", true)
        .tryAcquiresField(0, "mmap_lock", false).wraps("downgrade_write(&mm->mmap_lock)")
        .source("include/linux/mmap_lock.h")
        .cost("vma_end_write_all, then downgrade_write: one atomic on the count")
        .implSlots((env, t, a) -> {
          MmStruct m = mmArg(a, t, "mmap_write_downgrade");
          m.advanceMmLockSeq();
          ((RwSemaphore) m.mmapLock()).downgrade(t);
          return null;
        }).add();
    rwsemWrappers(h, mapping, "invalidate_lock", "include/linux/fs.h",
        o -> ((AddressSpace) o).lock("invalidate_lock"), "filemap_invalidate_lock_shared",
        "filemap_invalidate_unlock_shared", "filemap_invalidate_trylock_shared",
        "filemap_invalidate_lock", "filemap_invalidate_unlock", null);
    rwsemWrappers(h, mapping, "i_mmap_rwsem", "include/linux/fs.h",
        o -> ((AddressSpace) o).lock("i_mmap_rwsem"), "i_mmap_lock_read", "i_mmap_unlock_read",
        "i_mmap_trylock_read", "i_mmap_lock_write", "i_mmap_unlock_write", null);

    h.primitive("synchronize_rcu").source("kernel/rcu/tree.c").sleeps(true)
        .cost("sleeps a grace period (kernel.costs.rcu_grace_period), longer while a reader in"
            + " flight at the call is still in its read section")
        .implSlots((env, t, a) -> {
          t.mightSleep("synchronize_rcu");
          waitForReaders(t, readersInFlight(t), cost(env, RCU_GRACE_PERIOD));
          return null;
        }).add();
    h.primitive("folio_wait_locked").params(folio).source("mm/filemap.c").sleeps(true)
        .cost("a load of the folio's flags if unlocked; else a sleep until folio_unlock")
        .implSlots((env, t, a) -> {
          Folio f = (Folio) a.ref(0);
          if (f == null) {
            throw new IllegalArgumentException("folio_wait_locked(NULL)");
          }
          if (!f.isLocked()) {
            t.mightSleep("folio_wait_locked");
            t.busy(f.refLine().read(t.machine(), t.core()));
            return null;
          }
          f.lock().waitUnlocked(t);
          return null;
        }).add();
  }

  /** The wrappers of one rwsem field; a null name is a wrapper the kernel does not have. */
  private static void rwsemWrappers(Host h, Type owner, String field, String source,
      Function<Object, Lock> lockOf, String readLock, String readUnlock, String readTrylock,
      String writeLock, String writeUnlock, String writeTrylock) {
    String[] names = {readLock, readUnlock, readTrylock, writeLock, writeUnlock, writeTrylock};
    for (int i = 0; i < names.length; i++) {
      String name = names[i];
      if (name == null) {
        continue;
      }
      boolean write = i >= 3;
      int op = i % 3;
      String call = (op == 1 ? "up_" : "down_") + (write ? "write" : "read")
          + (op == 2 ? "_trylock" : "") + "(&" + variableOf(owner) + "->" + field + ")";
      Primitive.Builder b = h.primitive(name).params(owner).source(source).wraps(call)
          .cost(call + ": one atomic on the count (machine.costs.atomic_local /"
              + " transfer_same_socket / transfer_cross_socket)");
      switch (op) {
        case 0 -> b.acquiresField(0, field, write).sleeps(true).implSlots((env, t, a) -> {
          lockOf.apply(nonNull(a, t, name)).acquire(t, write);
          return null;
        });
        case 1 -> b.releasesField(0, field, write).implSlots((env, t, a) -> {
          lockOf.apply(nonNull(a, t, name)).release(t, write);
          return null;
        });
        default -> b.tryAcquiresField(0, field, write).returns(Type.BOOL).implSlots((env, t, a) -> {
          lockOf.apply(nonNull(a, t, name)).tryAcquire(t, write);
          return Primitive.RESULT;
        });
      }
      b.add();
    }
  }

  /** The kernel's usual variable name for a struct: {@code mm}, {@code mapping}. */
  private static String variableOf(Type owner) {
    return switch (owner.name()) {
      case "mm_struct" -> "mm";
      case "address_space" -> "mapping";
      default -> owner.name();
    };
  }

  private static Object nonNull(Args a, Task t, String op) {
    if (a.ref(0) == null) {
      throw new IllegalArgumentException(op + "(NULL): argument 1 is NULL");
    }
    return a.ref(0);
  }

  private static MmStruct mmArg(Args a, Task t, String op) {
    return (MmStruct) nonNull(a, t, op);
  }

  /** The other tasks in an RCU read section now, with the number of that section. */
  private static long[] readersInFlight(Task t) {
    var tasks = t.machine().tasks();
    long[] sections = new long[tasks.size()];
    for (int i = 0; i < sections.length; i++) {
      Task o = tasks.get(i);
      sections[i] = o == t ? 0 : o.rcuSection();
    }
    return sections;
  }

  /**
   * Sleeps a grace period; on waking, if a reader that was in flight at the call is still in
   * that same read section, sleeps another one.
   */
  private static void waitForReaders(Task t, long[] sections, long graceNs) {
    t.sleepFor(graceNs);
    t.setContinuation(task -> {
      var tasks = task.machine().tasks();
      for (int i = 0; i < sections.length; i++) {
        if (sections[i] != 0 && tasks.get(i).rcuSection() == sections[i]) {
          waitForReaders(task, sections, graceNs);
          return;
        }
      }
    });
  }
}
