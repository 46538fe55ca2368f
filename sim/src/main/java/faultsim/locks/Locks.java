package faultsim.locks;

import faultsim.machine.CacheLine;
import faultsim.machine.CodeSite;
import faultsim.machine.HeldLock;
import faultsim.machine.LockInstance;
import faultsim.machine.Task;
import faultsim.machine.Machine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lock classes of one run and the factory for their instances. A class is created on first
 * use with a kind; asking for the same name with another kind is an error. Also owns the hashed
 * folio wait-queue table ({@code folio_wait_table}, 256 buckets).
 */
public final class Locks {
  /** The lock class of every folio's {@code PG_locked}. */
  public static final String FOLIO_CLASS = "PG_locked";

  /** {@code PAGE_WAIT_TABLE_BITS} = 8. */
  public static final int FOLIO_WAIT_TABLE_SIZE = 256;

  private final Machine machine;
  private final Map<String, LockClass> classes = new LinkedHashMap<>();
  /** Lock event counters of every class ({@link LockClass#event}), by name. */
  private final Map<String, Long> events = new java.util.TreeMap<>();
  private final CacheLine[] folioWaitTable = new CacheLine[FOLIO_WAIT_TABLE_SIZE];
  /** {@code PG_locked}, looked up once (created on first use, like every class). */
  private LockClass folioClass;
  /** Folio lock objects given back idle ({@link #recycle}), reused before allocating. */
  private final java.util.ArrayDeque<FolioLock> idleFolioLocks = new java.util.ArrayDeque<>();
  /**
   * Who has {@code PG_locked} of each folio locked or waited for now: the holding task while
   * nobody waits, else the {@link FolioLock} standing for it. Kept here rather than in the
   * folios, of which a run may have millions and only a few are locked at any moment.
   */
  private final OwnerTable folioLockOwners = new OwnerTable();

  public Locks(Machine machine) {
    this.machine = machine;
    for (int i = 0; i < folioWaitTable.length; i++) {
      folioWaitTable[i] = new CacheLine();
    }
  }

  public Machine machine() {
    return machine;
  }

  /** The class named {@code name}, created with {@code kind} on first use. */
  public LockClass lockClass(String name, LockKind kind) {
    LockClass c = classes.computeIfAbsent(name, n -> new LockClass(n, kind, events));
    if (c.kind() != kind) {
      throw new IllegalArgumentException("lock class " + name + " is a " + c.kind().key()
          + ", used here as a " + kind.key());
    }
    return c;
  }

  /** A new instance of class {@code name}. */
  public Lock create(String name, LockKind kind) {
    return create(name, kind, new CacheLine());
  }

  /** A new instance of class {@code name} whose word lives on {@code line}. */
  public Lock create(String name, LockKind kind, CacheLine line) {
    // Classes and locks are listed in creation order: never created ahead of the clock.
    faultsim.machine.Speculation.catchUpAhead(machine.speculation());
    LockClass c = lockClass(name, kind);
    return switch (kind) {
      case SPINLOCK -> new Spinlock(machine, c, line);
      case MUTEX -> new Mutex(machine, c, line);
      case RWSEM -> new RwSemaphore(machine, c, line);
      case SEQCOUNT -> new Seqcount(machine, c, line);
      case RWLOCK -> new RwLock(machine, c, line);
      case SEQLOCK -> new Seqlock(machine, c, line);
      case RANGELOCK -> new RangeLock(machine, c, line);
      case FOLIO -> new FolioLock(machine, c, folioWaitTable[0], line);
    };
  }

  /**
   * A folio lock whose waiters hash to bucket {@code hash mod 256}, with its lock bit on
   * {@code line} (the folio's flags, on its struct page cache line).
   */
  public FolioLock folioLock(long hash, CacheLine line) {
    return folioLockInBucket(folioWaitBucket(hash), line);
  }

  /** The bucket of the folio wait table that {@code hash} (a folio's address) selects. */
  public static int folioWaitBucket(long hash) {
    return (int) Math.floorMod(mix(hash), (long) FOLIO_WAIT_TABLE_SIZE);
  }

  /** As {@link #folioLock(long, CacheLine)} for a bucket chosen by {@link #folioWaitBucket}. */
  public FolioLock folioLockInBucket(int waitBucket, CacheLine line) {
    CacheLine bucket = folioWaitTable[waitBucket];
    LockClass folioClass = folioClass();
    FolioLock l = idleFolioLocks.pollLast();
    if (l == null) {
      return new FolioLock(machine, folioClass, bucket, line);
    }
    l.reuse(bucket, line);
    return l;
  }

  /** {@code PG_locked}, created on first use like every class. */
  private LockClass folioClass() {
    if (folioClass == null) {
      folioClass = lockClass(FOLIO_CLASS, LockKind.FOLIO);
    }
    return folioClass;
  }

  /**
   * The wait object of {@code folio}, whose {@code PG_locked} bit is on {@code line} and whose
   * waiters hash to {@code waitBucket}: made (or recycled) when a task is about to wait for it.
   * If {@code holder} is not null the folio is locked, by that task, which took it while nobody
   * waited: the object takes the lock over, with the site the holder's entry kept.
   */
  public FolioLock folioWaitObject(int waitBucket, CacheLine line, LockInstance folio,
      Task holder) {
    FolioLock l = folioLockInBucket(waitBucket, line);
    l.actFor(folio);
    if (holder != null) {
      HeldLock entry = holder.heldEntry(folio);
      l.adoptLocked(holder, entry == null ? "" : entry.site());
    }
    return l;
  }

  /**
   * {@code folio_lock} or {@code folio_trylock} took the free {@code PG_locked} bit of
   * {@code folio} (on {@code line}) while nobody waited, by an atomic that takes {@code costNs}
   * from now: counted and held as {@link FolioLock} counts and holds an uncontended acquisition
   * (the hold starts when the atomic completes), the entry keeping where it was taken.
   */
  public void folioBitTaken(Task t, CacheLine line, LockInstance folio, long costNs) {
    folioClass().stats(true).acquired(-1, line.lastAccessBounced(), false);
    t.pushHeld(folio, true, machine.engine().now() + costNs, false, CodeSite.of(t));
  }

  /**
   * {@code folio_unlock} cleared the bit of {@code folio}, which nobody waited for: the hold of
   * {@code holder} (any task may unlock a folio) ends.
   */
  public void folioBitCleared(Task holder, LockInstance folio) {
    HeldLock entry = holder.removeHeldIfPresent(folio);
    if (entry != null) {
      folioClass().write().released(machine.engine().now() - entry.acquiredAtNs());
    }
  }

  /**
   * Who has {@code folio}'s {@code PG_locked} (see {@link #setFolioLockOwner}), or null;
   * {@code hash} stands for the folio's address (the same each time for one folio).
   */
  public Object folioLockOwner(LockInstance folio, long hash) {
    return folioLockOwners.get(folio, hash);
  }

  /**
   * Records who has {@code folio}'s {@code PG_locked}: the task holding the bit while nobody
   * waits, the lock object standing for it while a task waits, or null once it is free with
   * nobody waiting.
   */
  public void setFolioLockOwner(LockInstance folio, long hash, Object owner) {
    if (owner == null) {
      folioLockOwners.remove(folio, hash);
    } else {
      folioLockOwners.put(folio, hash, owner);
    }
  }

  /**
   * Takes back a folio lock object that is unlocked with nobody waiting and no longer referenced
   * by its folio: {@link #folioLock} hands it out again, so locking and unlocking folios does
   * not allocate in steady state.
   */
  public void recycle(FolioLock l) {
    if (!l.idle()) {
      throw new IllegalStateException("recycling a folio lock in use");
    }
    idleFolioLocks.addLast(l);
  }

  /** Every class, in creation order. */
  public List<LockClass> classes() {
    return List.copyOf(classes.values());
  }

  /**
   * Classes as {@code /proc/lock_stat} lists them: most contentions (both sides) first; ties by
   * name so the order is deterministic.
   */
  public List<LockClass> classesByContention() {
    List<LockClass> list = new ArrayList<>(classes.values());
    list.sort(Comparator
        .comparingLong((LockClass c) -> -(c.write().contentions() + c.read().contentions()))
        .thenComparing(LockClass::name));
    return Collections.unmodifiableList(list);
  }

  /** Zeroes every class's statistics (at the end of the ramp). */
  public void resetStats() {
    for (LockClass c : classes.values()) {
      c.reset();
    }
    events.clear();
  }

  /** The lock event counters counted since the last reset, by name ({@code rwsem_rlock_steal}). */
  public Map<String, Long> lockEvents() {
    return java.util.Collections.unmodifiableMap(events);
  }

  private static long mix(long x) {
    x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
    return x ^ (x >>> 33);
  }
}
