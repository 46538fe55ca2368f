package faultsim.hunt;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.engine.Engine;
import faultsim.fault.Designs;
import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.kernel.FsType;
import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.lang.Primitive;
import faultsim.locks.LockKind;
import faultsim.locks.Locks;
import faultsim.machine.LockInstance;
import faultsim.machine.Machine;
import faultsim.machine.MachineSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The locks a call touches, as the pairs strategy sees them, come from what the primitive
 * declares it does to locks: each acquisition (a trylock's too) is a lock access, exclusive
 * when for write; releases, a downgrade (the lock stays held) and the task's own context (an
 * RCU read-side section) are none; two lock fields of one mapping are two locks.
 */
class AccessLocksTest {
  final Machine machine = new Machine(new Engine(), MachineSpec.of(2));
  final Locks locks = new Locks(machine);
  final Kernel kernel = new Kernel(machine, locks);
  final AddressSpace file = kernel.createFile("data", FsType.EXT4, 16 * Kernel.PAGE_SIZE, 0);
  final MmStruct mm = kernel.createMm("main");
  final LockInstance ptl = locks.create("ptlock", LockKind.SPINLOCK);
  final Access.Ids ids = new Access.Ids();

  private static Primitive prim(String name, int params) {
    return Designs.host().primitives(name).stream().filter(p -> p.params().size() == params)
        .findFirst().orElseThrow();
  }

  private List<Access> lockAccesses(String name, Object... args) {
    return Access.of(prim(name, args.length), args, ids).stream()
        .filter(a -> a.space() == Access.Space.LOCK).toList();
  }

  @Test
  void acquisitionsAndTrylocks_areLockAccesses_exclusiveForWrite() {
    List<Access> take = lockAccesses("spin_lock", ptl);
    List<Access> tryTake = lockAccesses("spin_trylock", ptl);
    assertThat(take).hasSize(1);
    assertThat(take.get(0).removes()).isTrue();
    // The same lock object: the same id, so the two calls of two tasks make a pair.
    assertThat(tryTake).containsExactlyElementsOf(take);
    List<Access> read = lockAccesses("mmap_read_trylock", mm);
    assertThat(read).hasSize(1);
    assertThat(read.get(0).removes()).isFalse();
    assertThat(lockAccesses("mmap_write_lock", mm)).singleElement()
        .satisfies(a -> assertThat(a.removes()).isTrue())
        .satisfies(a -> assertThat(a.object()).isEqualTo(read.get(0).object()));
  }

  @Test
  void foliosLockedOrTrylocked_areOneLockEach() {
    Folio f = file.addFolio(3);
    Folio g = file.addFolio(4);
    List<Access> lock = lockAccesses("folio_lock", f);
    assertThat(lockAccesses("folio_trylock", f)).containsExactlyElementsOf(lock);
    assertThat(lockAccesses("folio_lock", g).get(0).object()).isNotEqualTo(lock.get(0).object());
  }

  @Test
  void releasesDowngradesAndRcu_touchNoLock() {
    assertThat(lockAccesses("spin_unlock", ptl)).isEmpty();
    assertThat(lockAccesses("mmap_write_downgrade", mm)).isEmpty();
    assertThat(lockAccesses("rcu_read_lock")).isEmpty();
    assertThat(lockAccesses("preempt_disable")).isEmpty();
  }

  @Test
  void twoLockFieldsOfOneMapping_areTwoLocks() {
    Access invalidate = lockAccesses("filemap_invalidate_lock", file).get(0);
    Access iMmap = lockAccesses("i_mmap_lock_write", file).get(0);
    assertThat(invalidate.object()).isNotEqualTo(iMmap.object());
    assertThat(lockAccesses("filemap_invalidate_lock_shared", file).get(0).object())
        .isEqualTo(invalidate.object());
  }

  @Test
  void declaredClasses_nameTheLockOfAFieldATypeOrTheContext() {
    assertThat(prim("mmap_read_lock", 1).lockClass(prim("mmap_read_lock", 1).lockEffects()
        .get(0))).isEqualTo("&mm->mmap_lock");
    assertThat(prim("i_mmap_lock_read", 1).lockClass(prim("i_mmap_lock_read", 1).lockEffects()
        .get(0))).isEqualTo("&mapping->i_mmap_rwsem");
    assertThat(prim("folio_lock", 1).lockClass(prim("folio_lock", 1).lockEffects().get(0)))
        .isEqualTo("PG_locked");
    assertThat(prim("rcu_read_lock", 0).lockClass(prim("rcu_read_lock", 0).lockEffects()
        .get(0))).isEqualTo("rcu_read_lock");
    // Each spinlock_t has its own class: not known from the declaration.
    assertThat(prim("spin_lock", 1).lockClass(prim("spin_lock", 1).lockEffects().get(0)))
        .isNull();
    assertThat(prim("downgrade_write", 1).retakes()).isTrue();
    assertThat(prim("down_write", 1).retakes()).isFalse();
  }
}
