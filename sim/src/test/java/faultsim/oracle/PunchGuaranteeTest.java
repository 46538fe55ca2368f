package faultsim.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.engine.Engine;
import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.kernel.FsType;
import faultsim.kernel.Kernel;
import faultsim.locks.Locks;
import faultsim.machine.Machine;
import faultsim.machine.MachineSpec;
import faultsim.machine.Task;
import org.junit.jupiter.api.Test;

/**
 * The punch guarantee as the oracle checks it, on kernel state set up by hand: a tmpfs file of
 * 16 pages, nothing cached at the start; a punch of pages [4, 8).
 */
class PunchGuaranteeTest {
  final Machine machine = new Machine(new Engine(), MachineSpec.of(1));
  final Kernel kernel = new Kernel(machine, new Locks(machine));
  final AddressSpace file = kernel.createFile("shm", FsType.TMPFS, 16 * Kernel.PAGE_SIZE, 0);
  final Task punch = machine.spawn("punch", t -> t.exit());
  final Oracle oracle = new Oracle(machine, 100, 10_000_000);

  /**
   * In the hole at the start: folios at 4 and 5, a swap entry at 6. The punch removes the folio
   * at 4 only. At its end the folio at 5 and the swap entry at 6 are still there (two
   * violations, in index order); a folio created at 7 meanwhile (behind the cursor) and a new
   * folio at 4 are not violations but are counted as re-created (2). The folio at 9, outside the
   * hole, is not looked at.
   */
  @Test
  void whatWasInTheHoleAtTheStartMustBeGoneAtTheEnd() {
    Folio f4 = file.addFolio(4);
    file.addFolio(5);
    file.setValueEntry(6, new AddressSpace.ValueEntry(true));
    file.addFolio(9);

    Object op = oracle.opStart(punch, "punch_hole", file, 4, 8);
    file.removeFolio(f4);
    file.addFolio(4);
    file.addFolio(7);
    oracle.opEnd(op);

    assertThat(oracle.counts().get(Violation.PUNCH_GUARANTEE)).isEqualTo(2);
    assertThat(oracle.shown()).extracting(Violation::summary).containsExactly(
        "task punch: shm index 5 was in the hole (a folio) when the punch started and is still"
            + " there when it ended",
        "task punch: shm index 6 was in the hole (a swap entry) when the punch started and is"
            + " still there when it ended");
    assertThat(oracle.punchRecreated()).isEqualTo(2);
  }

  /** A swap entry that was swapped in and out again is a new entry: the old one is gone. */
  @Test
  void aSwapEntryReplacedByAnotherIsGone() {
    file.setValueEntry(6, new AddressSpace.ValueEntry(true));
    Object op = oracle.opStart(punch, "punch_hole", file, 4, 8);
    file.removeValueEntry(6);
    file.setValueEntry(6, new AddressSpace.ValueEntry(true));
    oracle.opEnd(op);
    assertThat(oracle.counts().get(Violation.PUNCH_GUARANTEE)).isZero();
  }
}
