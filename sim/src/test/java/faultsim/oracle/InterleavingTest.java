package faultsim.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.engine.Engine;
import faultsim.fault.Designs;
import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.kernel.FsType;
import faultsim.kernel.Kernel;
import faultsim.lang.Primitive;
import faultsim.locks.Locks;
import faultsim.machine.LockInstance;
import faultsim.machine.Machine;
import faultsim.machine.MachineSpec;
import faultsim.machine.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Interleavings centred on the state a violation is about, from steps fed to the oracle by hand
 * at set simulated times: which tasks and steps are shown, what is elided, the culprit line, the
 * conflict marks. The text of each is also a golden file under
 * {@code src/test/resources/faultsim/oracle/golden/} (rewritten with
 * {@code -Dfaultsim.updateGolden=true}; review the diff).
 */
final class InterleavingTest {
  final Engine engine = new Engine();
  final Machine machine = new Machine(engine, MachineSpec.of(4));
  final Kernel kernel = new Kernel(machine, new Locks(machine));
  final AddressSpace file = kernel.createFile("data", FsType.EXT4, 16 * Kernel.PAGE_SIZE, 0);
  final Oracle oracle = new Oracle(machine, 100, 10_000_000);

  /** A lock as the trace sees it: a lockdep class. */
  record Lock(String className) implements LockInstance {
    @Override
    public boolean sleeps() {
      return true;
    }

    @Override
    public String toString() {
      return className;
    }
  }

  private void at(long ns) {
    engine.runUntil(ns);
  }

  /** {@code t} calls the kernel host's primitive {@code primitive} with {@code args}. */
  private void call(Task t, String primitive, Object... args) {
    Primitive p = Designs.host().primitives(primitive).stream()
        .filter(q -> q.params().size() == args.length).findFirst().orElseThrow();
    oracle.primitive(t, p, args);
  }

  /**
   * Seed 000 by hand. punch (from 1 us) truncates index 5 of a hole [4, 8) and later (10 us)
   * frees the blocks; reader/0 in between (4 us) faults index 5 back and reads it from the
   * blocks about to be freed; reader/1 meanwhile faults index 12, outside the hole, 70 times.
   * At the punch's end index 5 holds stale data. The state is index 5: reader/1 never touched
   * it and is not shown although it ran last; the culprit is the punch (its free_blocks changed
   * the blocks under the reader's folio), the reader's read of index 5 marked before the free.
   * Steps of punch: note, 2 entries, mutex_lock, pagecache_range, folio_lock, remove, unlock,
   * 5 x cpu, free_blocks, mutex_unlock (the end note comes after): the 5 cpu steps touch
   * nothing and are one elided run. Steps of reader/0: 3 entries, 20 x cpu, get, alloc, lock,
   * add, read, unlock: the entries and cpu steps are one elided run of 23.
   */
  @Test
  void staleData_showsTheReaderOfTheIndexNotTheLastTaskToRun_culpritThePunch()
      throws IOException {
    Task punch = machine.spawn("punch", t -> t.exit());
    Task reader0 = machine.spawn("reader/0", t -> t.exit());
    Task reader1 = machine.spawn("reader/1", t -> t.exit());
    Lock iMutex = new Lock("&inode->i_mutex");
    Folio old = file.addFolio(5);
    old.setGeneration(file.dataGeneration(5));

    at(1_000);
    Object op = oracle.opStart(punch, "punch_hole", file, 4, 8);
    oracle.enter(punch, "vfs_fallocate");
    oracle.enter(punch, "ext4_punch_hole");
    call(punch, "mutex_lock", iMutex);
    call(punch, "pagecache_range", file, 4L, 8L);
    call(punch, "folio_lock", old);
    call(punch, "__filemap_remove_folio", old);
    file.removeFolio(old);
    call(punch, "folio_unlock", old);
    for (int i = 0; i < 5; i++) {
      call(punch, "cpu", 1_000L);
    }

    at(4_000);
    oracle.enter(reader0, "do_user_addr_fault");
    oracle.enter(reader0, "handle_mm_fault");
    oracle.enter(reader0, "filemap_fault");
    for (int i = 0; i < 20; i++) {
      call(reader0, "cpu", 10L);
    }
    call(reader0, "filemap_get_folio", file, 5L);
    call(reader0, "filemap_alloc_folio", file, 5L);
    Folio fresh = file.addFolio(5);
    call(reader0, "__folio_set_locked", fresh);
    call(reader0, "__filemap_add_folio", file, fresh);
    at(4_500);
    call(reader0, "filemap_read_folio", fresh);
    fresh.setGeneration(file.dataGeneration(5));
    call(reader0, "folio_unlock", fresh);

    at(6_000);
    oracle.enter(reader1, "do_user_addr_fault");
    for (int i = 0; i < 70; i++) {
      call(reader1, "filemap_get_folio", file, 12L);
    }

    at(10_000);
    call(punch, "free_blocks", file, 4L, 8L);
    file.freeBlocks(4, 8);
    call(punch, "mutex_unlock", iMutex);
    at(11_000);
    call(reader1, "filemap_get_folio", file, 12L);
    at(12_000);
    oracle.opEnd(op);

    assertThat(oracle.counts().get(Violation.STALE_DATA)).isEqualTo(1);
    Violation v = oracle.shown().get(0);
    assertThat(v.summary()).isEqualTo("data index 5: the page cache holds data read before the"
        + " blocks were freed by task punch's punch_hole");
    String t = v.timeline();
    assertThat(t).doesNotContain("reader/1");
    assertThat(t).contains("    culprit: task punch (job punch, in ext4_punch_hole) frees the"
        + " blocks of index 5 at 10.000us, after task reader/0 reads index 5 from its blocks at"
        + " 4.500us\n");
    assertThat(t).contains("    [punch] ... 5 steps of task punch elided\n");
    assertThat(t).contains("    [reader/0] ... 23 steps of task reader/0 elided\n");
    assertThat(t.indexOf("filemap_read_folio(folio(data:5))  << reads index 5 from its blocks"))
        .isPositive().isLessThan(t.indexOf("free_blocks(data, 4, 8)  << frees the blocks of"
            + " index 5"));
    // The lock the punch held around both of its touches is shown taken and released.
    assertThat(t).contains("mutex_lock(&inode->i_mutex)").contains("mutex_unlock(&inode->i_mutex)");
    assertThat(t.lines().count()).isLessThanOrEqualTo(Interleaving.MAX_ROWS);
    golden("stale-data.txt", t);
  }

  /**
   * A deadlock through a queued writer. trunc holds big_sem shared (1 us); punch holds
   * alpha_lock (1 us); writer asks big_sem for write (2 us) and queues behind trunc's read
   * hold; punch asks big_sem shared (3 us) and waits behind the queued writer; trunc asks
   * alpha_lock (4 us): trunc waits for punch, punch for big_sem, which trunc holds. The cycle
   * is trunc and punch; the writer, no part of it, is what keeps punch out of a lock only held
   * shared: it is named in the summary, shown in its own column, and is the culprit, punch's
   * wait after it.
   */
  @Test
  void deadlock_includesTheQueuedWriterThatBlocksAReader_asTheCulprit() throws IOException {
    Task trunc = machine.spawn("trunc", t -> t.exit());
    Task punch = machine.spawn("punch", t -> t.exit());
    Task writer = machine.spawn("writer", t -> t.exit());
    Lock sem = new Lock("big_sem");
    Lock alpha = new Lock("alpha_lock");

    at(1_000);
    call(trunc, "down_read", sem);
    trunc.pushHeld(sem, false, 1_000);
    call(punch, "mutex_lock", alpha);
    punch.pushHeld(alpha, true, 1_000);
    at(2_000);
    call(writer, "down_write", sem);
    writer.startWaiting(sem, true);
    at(3_000);
    call(punch, "down_read", sem);
    punch.startWaiting(sem, false);
    at(4_000);
    call(trunc, "mutex_lock", alpha);
    trunc.startWaiting(alpha, true);

    assertThat(oracle.deadlocked()).isTrue();
    Violation v = oracle.shown().stream().filter(x -> x.summary().startsWith("deadlock:"))
        .findFirst().orElseThrow();
    assertThat(v.summary()).isEqualTo("deadlock: task trunc holds big_sem-R and waits for"
        + " alpha_lock; task punch holds alpha_lock-W and waits for big_sem; task writer is"
        + " queued for big_sem (write)");
    String t = v.timeline();
    assertThat(t).contains("    culprit: task writer (job writer) queues for big_sem (write)"
        + " behind its holders at 2.000us, before task punch waits for big_sem, held by task"
        + " trunc at 3.000us\n");
    assertThat(t).contains("    [trunc]      4.000us  mutex_lock(alpha_lock)  << waits for"
        + " alpha_lock, held by task punch\n");
    assertThat(t).contains("    [trunc]      1.000us  down_read(big_sem)  << takes big_sem"
        + " shared\n");
    golden("deadlock-queued-writer.txt", t);
  }

  /**
   * More touches than a screen holds: a reader maps and unmaps index 3 forty times (80 marked
   * steps) before a truncate to 2 pages removes it. The listing keeps to 30 lines, the
   * conflicting steps (the truncate's removal, the reader's last use before it) among them.
   */
  @Test
  void manyTouches_trimmedToOneScreen_conflictingStepsKept() {
    Task reader = machine.spawn("reader/0", t -> t.exit());
    Task truncate = machine.spawn("truncate", t -> t.exit());
    Folio f = file.addFolio(3);
    f.setGeneration(0);
    for (int i = 0; i < 40; i++) {
      at(1_000 + i * 100);
      call(reader, "__filemap_add_folio", file, f);
      call(reader, "__filemap_remove_folio", f);
    }
    at(9_000);
    call(reader, "filemap_read_folio", f);
    at(10_000);
    Object op = oracle.opStart(truncate, "truncate", file, 2, 16);
    call(truncate, "i_size_write", file, 2 * Kernel.PAGE_SIZE);
    file.setISize(2 * Kernel.PAGE_SIZE);
    at(11_000);
    oracle.opEnd(op);

    Violation v = oracle.shown().get(0);
    assertThat(v.kind()).isEqualTo(Violation.BEYOND_EOF);
    String t = v.timeline();
    // Plain touches go oldest first: the reader's first pairs (from 1 us) are elided, its
    // last (at 4.9 us) kept.
    assertThat(t.lines().count()).isLessThanOrEqualTo(Interleaving.MAX_ROWS);
    assertThat(t).doesNotContain("      1.000us").contains("      4.900us");
    assertThat(t).contains("i_size_write(data, 8192)  << sets i_size to 2 pages")
        .contains("filemap_read_folio(folio(data:3))  << reads index 3 from its blocks")
        .contains("    culprit: task truncate (job truncate) sets i_size to 2 pages at"
            + " 10.000us, after task reader/0 reads index 3 from its blocks at 9.000us");
  }

  private static void golden(String name, String actual) throws IOException {
    Path file = Path.of("src/test/resources/faultsim/oracle/golden", name);
    if (Boolean.getBoolean("faultsim.updateGolden")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
