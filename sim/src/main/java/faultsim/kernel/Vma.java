package faultsim.kernel;

import faultsim.locks.Lock;
import faultsim.locks.LockKind;

/**
 * A {@code struct vm_area_struct}: [{@code start}, {@code end}) of an mm's address space, mapping
 * a file from page offset {@code pgoff} (shared or private) or anonymous memory. Carries the
 * per-VMA lock ({@code &vma->vm_lock}) and {@code vm_lock_seq} (kernel-paths.md A.(h)).
 */
public final class Vma {
  private Object[] designFields;
  private final MmStruct mm;
  private final long start;
  private final long end;
  private final AddressSpace file;
  private final long pgoff;
  private boolean shared;
  private final LockSlot vmLock = new LockSlot("&vma->vm_lock", LockKind.RWSEM);
  private long vmLockSeq = -1;
  private boolean anonVma;
  private boolean detached;

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
    return start;
  }

  /** {@code vm_end}, bytes. */
  public long end() {
    return end;
  }

  /** {@code vm_file}'s mapping, or null for anonymous memory. */
  public AddressSpace file() {
    return file;
  }

  /** {@code vm_pgoff}. */
  public long pgoff() {
    return pgoff;
  }

  /** {@code VM_SHARED}. */
  public boolean shared() {
    return shared;
  }

  /**
   * Clears {@code VM_SHARED}: a {@code MAP_PRIVATE} mapping made by a design's {@code vm_mmap},
   * whose signature has no flags, before any task uses it.
   */
  public void setPrivate() {
    shared = false;
  }

  public boolean anonymous() {
    return file == null;
  }

  public boolean contains(long address) {
    return address >= start && address < end;
  }

  /** File page offset of {@code address}: {@code linear_page_index}. */
  public long pageIndex(long address) {
    return (address - start) / Kernel.PAGE_SIZE + pgoff;
  }

  /** Address of file page {@code index} in this VMA. */
  public long address(long index) {
    return start + (index - pgoff) * Kernel.PAGE_SIZE;
  }

  public Lock vmLock() {
    return vmLock.get(mm.kernel().locks());
  }

  public long vmLockSeq() {
    return vmLockSeq;
  }

  public void setVmLockSeq(long s) {
    vmLockSeq = s;
  }

  /** Whether {@code vma->anon_vma} is set (private COW and anonymous faults need it). */
  public boolean hasAnonVma() {
    return anonVma;
  }

  public void setAnonVma() {
    anonVma = true;
  }

  public boolean detached() {
    return detached;
  }

  void detach() {
    detached = true;
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
