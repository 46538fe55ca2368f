package faultsim.kernel;

import faultsim.locks.FolioLock;
import faultsim.locks.Locks;
import faultsim.machine.CacheLine;
import faultsim.machine.LockInstance;
import faultsim.machine.Speculation;
import faultsim.machine.Task;

/**
 * A page-cache or anonymous folio ({@code struct folio}), one base page here. Flags as in
 * {@code page-flags.h}. {@code PG_locked} is a bit of the flags while nobody waits for it, as in
 * the kernel, where {@code folio_trylock} is a test-and-set of the bit and only waiters use the
 * hashed wait table (mm/filemap.c {@code folio_lock}, {@code __folio_lock},
 * {@code folio_unlock}, {@code folio_wake_bit}); a {@link FolioLock} object (the wait queue,
 * the waiters, the handover) stands for it while a task waits, and goes back to the run's pool
 * when the folio is unlocked with nobody waiting. Either way the folio is the lock that tasks
 * hold and wait for, of class {@code PG_locked}. {@code generation} is the
 * version of the file data the folio holds: a truncate or hole punch advances the generation of
 * the blocks it frees, so a folio (or a PTE mapping it) holding an older generation after the
 * operation has finished is stale data.
 */
public final class Folio extends CacheLine implements LockInstance {
  private static final short UPTODATE = 1;
  private static final short DIRTY = 2;
  private static final short WRITEBACK = 4;
  private static final short READAHEAD = 8;
  private static final short HAS_DATA = 16;
  private static final short ANON = 32;
  /** {@code PG_locked} while no lock object stands for it. */
  private static final short LOCKED = 64;
  /** Removed from the page cache: {@code folio->mapping} reads null. */
  private static final short DETACHED = 128;
  /**
   * Someone has {@code PG_locked}, or waits for it: the run's {@link Locks} keeps who (see
   * {@link #lockOwner}).
   */
  private static final short LOCK_TAKEN = 256;

  // A large sparse file keeps one of these per touched page, so the fields are packed: the
  // flags in a short; one reference for the file (which leads to the kernel) or, for an
  // anonymous folio, the kernel; and the folio is itself the cache line of its struct page
  // (refcount, flags) rather than pointing to one. What few folios need lives elsewhere: the
  // generation once it is not 0 and the fields a design declares with the line's rarely used
  // state, who holds PG_locked (a few folios at a time) with the run's locks; the wait-table
  // bucket is worked out from file and index when a task waits. 56 bytes with compressed
  // references, header and line included.
  /** The file it was created for (kept once removed, {@link #DETACHED}), or the kernel if anon. */
  private final Object home;
  private final long index;
  private int refcount = 1;
  private int mapcount;
  private short flags;

  Folio(Kernel kernel, AddressSpace mapping, long index, long generation) {
    this.home = mapping == null ? kernel : mapping;
    this.index = index;
    setExtraWord(generation);
    if (mapping == null) {
      flags = ANON;
    }
  }

  /**
   * The bucket of the folio wait table its waiters use: chosen by file and index when the folio
   * was created (its address, in the kernel), whatever happens to it later.
   */
  private int waitBucket() {
    return Locks.folioWaitBucket(addressHash());
  }

  /** Stands for the folio's address: its file and index. */
  private long addressHash() {
    return (home instanceof AddressSpace a ? a.id() * 0x100000001B3L : 0) ^ index;
  }

  /**
   * Who has {@code PG_locked}: null while it is free with nobody waiting, the holding
   * {@link Task} while it is taken with nobody waiting (the bit is set), or the {@link FolioLock}
   * standing for it while a task waits (the object then has the whole state).
   */
  private Object lockOwner() {
    return flag(LOCK_TAKEN) ? kernel().locks().folioLockOwner(this, addressHash()) : null;
  }

  private void setLockOwner(Object owner) {
    setFlag(LOCK_TAKEN, owner != null);
    kernel().locks().setFolioLockOwner(this, addressHash(), owner);
  }

  /** An anonymous folio (anonymous memory or a private mapping's COW copy). */
  public boolean isAnon() {
    return flag(ANON);
  }

  // Speculation marks: the folio's state is the line's (a refcount, flags, mapping and
  // mapcount of one struct page).
  private void r() {
    Speculation.read(kernel().speculation(), this);
  }

  private void w() {
    Speculation.write(kernel().speculation(), this);
  }

  private boolean flag(short f) {
    r();
    return (flags & f) != 0;
  }

  private void setFlag(short f, boolean on) {
    w();
    flags = (short) (on ? flags | f : flags & ~f);
  }

  /** {@code folio->mapping}: null once the folio has been removed from the page cache. */
  public AddressSpace mapping() {
    return home instanceof AddressSpace a && !flag(DETACHED) ? a : null;
  }

  void detach() {
    setFlag(DETACHED, true);
  }

  private Kernel kernel() {
    return home instanceof AddressSpace a ? a.kernel() : (Kernel) home;
  }

  /** {@code folio->index}: page offset in the file. */
  public long index() {
    return index;
  }

  public long generation() {
    r();
    return extraWord();
  }

  /**
   * The folio holds the data of the blocks at generation {@code g}: a read of them was
   * submitted (the bio targets the blocks mapped then), or the folio was zeroed.
   */
  public void setGeneration(long g) {
    w();
    setExtraWord(g);
    setFlag(HAS_DATA, true);
  }

  /**
   * Whether the folio holds file data yet: false for a folio just allocated for a read that has
   * not been submitted (its contents are nobody's data, so they cannot be stale).
   */
  public boolean hasData() {
    return flag(HAS_DATA);
  }

  public boolean uptodate() {
    return flag(UPTODATE);
  }

  public void markUptodate() {
    setFlag((short) (UPTODATE | HAS_DATA), true);
  }

  public boolean dirty() {
    return flag(DIRTY);
  }

  public void setDirty(boolean d) {
    setFlag(DIRTY, d);
  }

  public boolean writeback() {
    return flag(WRITEBACK);
  }

  public void setWriteback(boolean w) {
    setFlag(WRITEBACK, w);
  }

  public boolean readahead() {
    return flag(READAHEAD);
  }

  public void setReadahead(boolean r) {
    setFlag(READAHEAD, r);
  }

  public int refcount() {
    r();
    return refcount;
  }

  /** {@code folio_get}. */
  public void get() {
    w();
    refcount++;
  }

  /** {@code folio_put}. */
  public void put() {
    w();
    refcount--;
  }

  public int mapcount() {
    r();
    return mapcount;
  }

  void mapped() {
    w();
    mapcount++;
  }

  void unmapped() {
    w();
    mapcount--;
  }

  /** {@code folio_test_locked}. */
  public boolean isLocked() {
    return flag(LOCKED) || lockOwner() instanceof FolioLock l && l.locked();
  }

  /**
   * {@code folio_lock}: takes the bit with one atomic on the flags line if it is free; else
   * waits on the folio's lock object, made for the wait.
   */
  public void lock(Task t) {
    if (!flag(LOCK_TAKEN)) {
      t.mightSleep("folio_lock");
      long cost = atomic(t.machine(), t.core());
      take(t, cost);
      t.busy(cost);
      return;
    }
    lock().acquire(t, true);
  }

  /**
   * {@code folio_trylock}: the test-and-set of the bit; the task's result register is 1 if it
   * was free, 0 if not. A folio that is taken with nobody waiting needs no lock object to say no.
   */
  public void trylock(Task t) {
    if (lockOwner() instanceof FolioLock l) {
      // Tasks wait for the folio: its lock object and wait list are not marked state.
      t.catchUp();
      l.tryAcquire(t, true);
      return;
    }
    t.beginTrylock();
    try {
      long cost = atomic(t.machine(), t.core());
      if (!flag(LOCK_TAKEN)) {
        take(t, cost);
        t.setResult(1);
      } else {
        t.setResult(0);
      }
      t.busy(cost);
    } finally {
      t.endTrylock();
    }
  }

  /**
   * {@code folio_unlock}: clears the bit (any task may, as in the kernel); with a waiter, the
   * lock object wakes it, and goes back to the pool once nobody waits.
   */
  public void unlock(Task t) {
    Object owner = lockOwner();
    if (owner instanceof FolioLock l) {
      t.catchUp();
      l.release(t, true);
      if (l.idle()) {
        kernel().locks().recycle(l);
        setLockOwner(null);
      }
      return;
    }
    if (!flag(LOCKED)) {
      throw t.fault("folio_unlock() of a folio that is not locked");
    }
    kernel().locks().folioBitCleared((Task) owner, this);
    setFlag(LOCKED, false);
    setLockOwner(null);
    t.busy(atomic(t.machine(), t.core()));
  }

  /** Whether a lock object stands for {@code PG_locked} now (a task waits, or has waited). */
  boolean hasLockObject() {
    return lockOwner() instanceof FolioLock;
  }

  /** The free bit is taken by {@code t} with an atomic that takes {@code costNs}. */
  private void take(Task t, long costNs) {
    setFlag(LOCKED, true);
    setLockOwner(t);
    kernel().locks().folioBitTaken(t, this, this, costNs);
  }

  @Override
  public String className() {
    return Locks.FOLIO_CLASS;
  }

  @Override
  public boolean sleeps() {
    return true;
  }

  /** The refcount's cache line: {@code folio_try_get} and {@code folio_put} are atomics on it. */
  public CacheLine refLine() {
    return this;
  }

  /**
   * The lock object standing for {@code PG_locked}, made now if there is none (taking over the
   * bit's state): for a task about to wait for the folio. Its waiters hash to a bucket chosen by
   * file and index when the folio was created (its address, in the kernel), whatever happens to
   * it later.
   */
  public FolioLock lock() {
    w();
    Object owner = lockOwner();
    if (owner instanceof FolioLock l) {
      return l;
    }
    FolioLock l = kernel().locks().folioWaitObject(waitBucket(), this, this, (Task) owner);
    setFlag(LOCKED, false);
    setLockOwner(l);
    return l;
  }

  @Override
  public String toString() {
    // The fields themselves, not through mapping(): a description is not a read of the folio.
    AddressSpace mapping = home instanceof AddressSpace a && (flags & DETACHED) == 0 ? a : null;
    return "folio(" + (mapping == null ? "detached" : mapping.name()) + ":" + index + ")";
  }

  /** The fields a design declares on this structure, at least {@code size} slots. */
  public Object[] designFields(int size) {
    return extraFields(size);
  }
}
