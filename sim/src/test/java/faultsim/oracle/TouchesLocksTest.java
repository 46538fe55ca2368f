package faultsim.oracle;

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
import org.junit.jupiter.api.Test;

/**
 * An interleaving's lock steps are read from what each step's primitive declares it does to
 * locks: which lock (the argument, a lock field of it, or the task's context), its class, take
 * or release, for write or read, and whether it was only tried.
 */
class TouchesLocksTest {
  final Machine machine = new Machine(new Engine(), MachineSpec.of(2));
  final Locks locks = new Locks(machine);
  final Kernel kernel = new Kernel(machine, locks);
  final AddressSpace file = kernel.createFile("data", FsType.EXT4, 16 * Kernel.PAGE_SIZE, 0);
  final MmStruct mm = kernel.createMm("main");

  private static TaskTrace.Record step(String name, Object... args) {
    Primitive p = Designs.host().primitives(name).stream()
        .filter(q -> q.params().size() == args.length).findFirst().orElseThrow();
    return new TaskTrace.Record(0, name, p, args, new TaskTrace.Step(0, "t", name, null));
  }

  private static String touch(TaskTrace.Record r) {
    Touches.LockOp op = Touches.lockOf(r);
    return op == null ? null : Touches.lockClass(op.className()).touch(r).what();
  }

  @Test
  void lockFieldOfAnMm_isHeldByTheMm_withTheFieldsClass() {
    Touches.LockOp op = Touches.lockOf(step("mmap_read_lock", mm));
    assertThat(op.owner()).isSameAs(mm);
    assertThat(op.className()).isEqualTo("&mm->mmap_lock");
    assertThat(op.acquire()).isTrue();
    assertThat(op.write()).isFalse();
    assertThat(touch(step("mmap_read_lock", mm))).isEqualTo("takes &mm->mmap_lock shared");
    assertThat(touch(step("mmap_write_unlock", mm))).isEqualTo("releases &mm->mmap_lock");
  }

  @Test
  void trylocks_areTried_aNewFoliosLockTaken() {
    LockInstance seq = locks.create("&mapping->seqlock", LockKind.SEQLOCK);
    // write_tryseqlock may fail and says so: tried, though its name has no "trylock".
    assertThat(touch(step("write_tryseqlock", seq))).isEqualTo("tries &mapping->seqlock");
    Folio f = file.addFolio(2);
    assertThat(touch(step("folio_trylock", f))).isEqualTo("tries PG_locked");
    // __folio_set_locked locks a folio nobody else can see yet: it cannot fail.
    assertThat(touch(step("__folio_set_locked", f))).isEqualTo("takes PG_locked");
  }

  @Test
  void rcuSection_isALockOfTheContext_aDowngradeNeither() {
    Touches.LockOp op = Touches.lockOf(step("rcu_read_lock"));
    assertThat(op.owner()).isEqualTo("rcu_read_lock");
    assertThat(touch(step("rcu_read_unlock"))).isEqualTo("releases rcu_read_lock");
    assertThat(Touches.lockOf(step("mmap_write_downgrade", mm))).isNull();
    assertThat(Touches.lockOf(step("filemap_get_folio", file, 3L))).isNull();
  }
}
