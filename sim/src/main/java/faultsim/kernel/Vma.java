package faultsim.kernel;

import faultsim.locks.Lock;
import faultsim.locks.LockKind;

/**
 * A {@code struct vm_area_struct}: [{@code start}, {@code end}) of an mm's address space, mapping
 * a file from page offset {@code pgoff} (shared or private) or anonymous memory. Carries the
 * per-VMA lock ({@code &vma->vm_lock}) and {@code vm_lock_seq} (kernel-paths.md A.(h)).
 */
public final class Vma extends faultsim.machine.Marked {
  private void r() {
    faultsim.machine.Speculation.read(mm.kernel().speculation(), this);
  }

  private void w() {
    faultsim.machine.Speculation.write(mm.kernel().speculation(), this);
  }

  private Object[] designFields;
  private final MmStruct mm;
  private long start;
  private long end;
  private final AddressSpace file;
  private long pgoff;
  private boolean shared;
  private final LockSlot vmLock = new LockSlot("&vma->vm_lock", LockKind.RWSEM);
  private long vmLockSeq = -1;
  private boolean anonVma;
  private boolean detached;
  private boolean writable = true;
  private boolean resized;

  Vma(MmStruct mm, long start, long end, AddressSpace file, long pgoff, boolean shared) {
    this.mm = mm;
    this.start = start;
    this.end = end;
    this.file = file;
    this.pgoff = pgoff;
    this.shared = shared;
  }

  public MmStruct mm() {
    return mm;
  }

  /** {@code vm_start}, bytes. */
  public long start() {
    r();
    return start;
  }

  /** {@code vm_end}, bytes. */
  public long end() {
    r();
    return end;
  }

  /** {@code vm_file}'s mapping, or null for anonymous memory. */
  public AddressSpace file() {
    return file;
  }

  /** {@code vm_pgoff}. */
  public long pgoff() {
    r();
    return pgoff;
  }

  /** {@code VM_SHARED}. */
  public boolean shared() {
    r();
    return shared;
  }

  /** {@code VM_WRITE}: whether the mapping may be written ({@code mprotect} changes it). */
  public boolean writable() {
    r();
    return writable;
  }

  /** {@code vm_flags_reset}: grants or revokes {@code VM_WRITE}. */
  public void setWritable(boolean w) {
    w();
    writable = w;
  }

  /** {@code vm_flags}: {@code VM_READ}, {@code VM_WRITE} unless revoked, {@code VM_SHARED}. */
  public long vmFlags() {
    r();
    return 0x1 | (writable ? 0x2 : 0) | (shared ? 0x8 : 0);
  }

  /**
   * Clears {@code VM_SHARED}: a {@code MAP_PRIVATE} mapping made by a design's {@code vm_mmap},
   * whose signature has no flags, before any task uses it.
   */
  public void setPrivate() {
    w();
    shared = false;
  }

  public boolean anonymous() {
    r();
    return file == null;
  }

  public boolean contains(long address) {
    r();
    return address >= start && address < end;
  }

  /** File page offset of {@code address}: {@code linear_page_index}. */
  public long pageIndex(long address) {
    r();
    return (address - start) / Kernel.PAGE_SIZE + pgoff;
  }

  /** Address of file page {@code index} in this VMA. */
  public long address(long index) {
    r();
    return start + (index - pgoff) * Kernel.PAGE_SIZE;
  }

  public Lock vmLock() {
    return vmLock.get(mm.kernel().locks());
  }

  public long vmLockSeq() {
    r();
    return vmLockSeq;
  }

  public void setVmLockSeq(long s) {
    w();
    vmLockSeq = s;
  }

  /** Whether {@code vma->anon_vma} is set (private COW and anonymous faults need it). */
  public boolean hasAnonVma() {
    r();
    return anonVma;
  }

  public void setAnonVma() {
    w();
    anonVma = true;
  }

  /** Whether a split or merge has moved this VMA's bounds since it was mapped. */
  public boolean resized() {
    r();
    return resized;
  }

  public boolean detached() {
    r();
    return detached;
  }

  void detach() {
    w();
    detached = true;
  }

  /**
   * {@code vm_area_dup}: a copy of this VMA (flags, {@code anon_vma}, {@code vm_lock_seq}) over
   * [{@code s}, {@code e}) of it, not yet in any tree.
   */
  Vma dup(long s, long e) {
    r();
    Vma v = new Vma(mm, s, e, file, pgoff + (s - start) / Kernel.PAGE_SIZE, shared);
    v.writable = writable;
    v.anonVma = anonVma;
    v.vmLockSeq = vmLockSeq;
    return v;
  }

  /** Moves the VMA's bounds (a split or merge), keeping the file offset of each address. */
  void setRange(long s, long e) {
    w();
    resized |= s != start || e != end;
    pgoff += (s - start) / Kernel.PAGE_SIZE;
    start = s;
    end = e;
  }

  /**
   * Whether {@code next} can be merged onto the end of this VMA ({@code is_mergeable_vma},
   * {@code is_mergeable_anon_vma}): adjacent, the same file at the next offset, the same flags.
   * The model's {@code anon_vma}s always agree: a split's halves share one, a new VMA has none
   * yet.
   */
  public boolean mergeableWith(Vma next) {
    r();
    return next.mm == mm && end == next.start && file == next.file && shared == next.shared
        && writable == next.writable
        && (file == null || next.pgoff == pgoff + (end - start) / Kernel.PAGE_SIZE);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "vma[%x-%x %s]", start, end,
        file == null ? "anon" : (shared ? "shared " : "private ") + file.name());
  }

  /** The fields a design declares on this structure, at least {@code size} slots. */
  public Object[] designFields(int size) {
    designFields = DesignFields.grow(designFields, size);
    return designFields;
  }
}
