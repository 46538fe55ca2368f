package faultsim.fault;

import faultsim.kernel.Folio;
import faultsim.kernel.Kernel;
import faultsim.kernel.Vma;

/**
 * {@code struct vm_fault}: the fault being handled, as designs see it through
 * {@code vmf->field}.
 */
public final class VmFault implements faultsim.machine.TaskLocal {
  private Object[] designFields;
  private final Vma vma;
  private final long address;
  private final long pgoff;
  private long flags;
  private final long vmaFlags;
  private Folio folio;

  public VmFault(Vma vma, long address, long flags) {
    this.vma = vma;
    this.address = address & -Kernel.PAGE_SIZE;
    this.pgoff = vma.pageIndex(this.address);
    this.flags = flags;
    this.vmaFlags = vma.vmFlags();
  }

  /**
   * {@code vmf->vma_flags}: the VMA's {@code vm_flags} when the fault began. The speculative
   * page fault series copied them into the {@code vm_fault} so that a fault without the VMA's
   * lock works from one snapshot, checked against {@code vm_sequence} before it is used.
   */
  public long vmaFlags() {
    return vmaFlags;
  }

  public Vma vma() {
    return vma;
  }

  /** {@code vmf->address}, page aligned. */
  public long address() {
    return address;
  }

  /** {@code vmf->pgoff}: the file page of the address. */
  public long pgoff() {
    return pgoff;
  }

  /** {@code vmf->flags}: {@code FAULT_FLAG_*}. */
  public long flags() {
    return flags;
  }

  public void setFlags(long f) {
    flags = f;
  }

  /** {@code vmf->page}'s folio: what {@code ->fault} returned. */
  public Folio folio() {
    return folio;
  }

  public void setFolio(Folio f) {
    folio = f;
  }

  /** The fields a design declares on {@code struct vm_fault}, at least {@code size} slots. */
  Object[] designFields(int size) {
    if (designFields == null || designFields.length < size) {
      designFields = designFields == null ? new Object[size]
          : java.util.Arrays.copyOf(designFields, size);
    }
    return designFields;
  }
}
