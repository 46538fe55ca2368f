package faultsim.kernel;

import faultsim.locks.FolioLock;
import faultsim.locks.Locks;
import faultsim.machine.CacheLine;

/**
 * A page-cache or anonymous folio ({@code struct folio}), one base page here. Flags as in
 * {@code page-flags.h}; {@code PG_locked} is the {@link FolioLock}. {@code generation} is the
 * version of the file data the folio holds: a truncate or hole punch advances the generation of
 * the blocks it frees, so a folio (or a PTE mapping it) holding an older generation after the
 * operation has finished is stale data.
 */
public final class Folio extends CacheLine {
  private static final byte UPTODATE = 1;
  private static final byte DIRTY = 2;
  private static final byte WRITEBACK = 4;
  private static final byte READAHEAD = 8;
  private static final byte HAS_DATA = 16;
  private static final byte ANON = 32;

  // A large sparse file keeps one of these per touched page, so the fields are packed: the
  // flags in one byte, the generation (a count of frees) in an int, the wait-table bucket in a
  // byte, and the folio is itself the cache line of its struct page (refcount, flags) rather
  // than pointing to one: 80 bytes with compressed references.
  private Object[] designFields;
  private final Kernel kernel;
  private AddressSpace mapping;
  private final long index;
  private int generation;
  private int refcount = 1;
  private int mapcount;
  private byte flags;
  /**
   * The bucket of the folio wait table its waiters use (0..255, stored as a byte): chosen by
   * file and index when the folio was created (its address, in the kernel), whatever happens to
   * it later.
   */
  private final byte waitBucket;
  private FolioLock lock;

  Folio(Kernel kernel, AddressSpace mapping, long index, long generation) {
    this.kernel = kernel;
    this.mapping = mapping;
    this.index = index;
    this.generation = Math.toIntExact(generation);
    long hash = (mapping == null ? 0 : mapping.id() * 0x100000001B3L) ^ index;
    this.waitBucket = (byte) Locks.folioWaitBucket(hash);
    if (mapping == null) {
      flags = ANON;
    }
  }

  /** An anonymous folio (anonymous memory or a private mapping's COW copy). */
  public boolean isAnon() {
    return flag(ANON);
  }

  private boolean flag(byte f) {
    return (flags & f) != 0;
  }

  private void setFlag(byte f, boolean on) {
    flags = (byte) (on ? flags | f : flags & ~f);
  }

  /** {@code folio->mapping}: null once the folio has been removed from the page cache. */
  public AddressSpace mapping() {
    return mapping;
  }

  void detach() {
    mapping = null;
  }

  /** {@code folio->index}: page offset in the file. */
  public long index() {
    return index;
  }

  public long generation() {
    return generation;
  }

  /**
   * The folio holds the data of the blocks at generation {@code g}: a read of them was
   * submitted (the bio targets the blocks mapped then), or the folio was zeroed.
   */
  public void setGeneration(long g) {
    generation = Math.toIntExact(g);
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
    setFlag((byte) (UPTODATE | HAS_DATA), true);
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
    return refcount;
  }

  /** {@code folio_get}. */
  public void get() {
    refcount++;
  }

  /** {@code folio_put}. */
  public void put() {
    refcount--;
  }

  public int mapcount() {
    return mapcount;
  }

  void mapped() {
    mapcount++;
  }

  void unmapped() {
    mapcount--;
  }

  /** {@code folio_test_locked}: without creating a lock object. */
  public boolean isLocked() {
    return lock != null && lock.locked();
  }

  /**
   * Forgets the lock object while it is unlocked and nobody waits: its state is then only its
   * cache line, which is the folio's ({@code refLine}), and its wait-table bucket, which is
   * fixed at the folio's creation (the kernel hashes the folio's address); so nothing is lost,
   * and a large page cache does not keep a lock object per folio. The object goes back to the
   * run's pool for the next folio locked.
   */
  public void dropIdleLock() {
    if (lock != null && lock.idle()) {
      kernel.locks().recycle(lock);
      lock = null;
    }
  }

  /** The refcount's cache line: {@code folio_try_get} and {@code folio_put} are atomics on it. */
  public CacheLine refLine() {
    return this;
  }

  /**
   * {@code PG_locked}, created on first use; its waiters hash to a bucket chosen by file and
   * index when the folio was created (its address, in the kernel), whatever happens to it later.
   */
  public FolioLock lock() {
    if (lock == null) {
      lock = kernel.locks().folioLockInBucket(waitBucket & 0xFF, this);
    }
    return lock;
  }

  @Override
  public String toString() {
    return "folio(" + (mapping == null ? "detached" : mapping.name()) + ":" + index + ")";
  }

  /** The fields a design declares on this structure, at least {@code size} slots. */
  public Object[] designFields(int size) {
    designFields = DesignFields.grow(designFields, size);
    return designFields;
  }
}
