package faultsim.workload;

import faultsim.kernel.Kernel;
import faultsim.kernel.PteTable;
import java.util.Map;

/**
 * {@code machine.page_size}: the base page of the simulated machine, 4 KiB as on x86-64 or
 * 16 KiB and 64 KiB as arm64 and Power can be built. The kernel model counts in pages: a
 * model page ({@link Kernel#PAGE_SIZE} bytes of its address arithmetic) stands for one page of
 * this size, so the workload's byte quantities (file sizes, job offsets and sizes,
 * {@code fault_around_bytes}, {@code read_ahead_kb}) are turned into page counts by this size
 * here, and everything past the workload is the same whatever the page size. A PTE page keeps
 * 512 entries.
 */
final class PageSize {
  /** The sizes a machine may have, by how the workload writes them. */
  static final Map<String, Long> SIZES = Map.of("4k", 4096L, "16k", 16384L, "64k", 65536L);

  /** The default: x86-64's 4 KiB. */
  static final PageSize DEFAULT = new PageSize("4k", Kernel.PAGE_SIZE);

  final String text;
  final long bytes;

  private PageSize(String text, long bytes) {
    this.text = text;
    this.bytes = bytes;
  }

  /** The page size {@code value} names, checked at {@code /machine/page_size}. */
  static PageSize of(Resolver r, String value) throws InputException {
    if (value == null) {
      return DEFAULT;
    }
    long b = r.convert("/machine/page_size", value, Units::parseSize);
    for (Map.Entry<String, Long> e : SIZES.entrySet()) {
      if (e.getValue() == b) {
        return new PageSize(e.getKey(), b);
      }
    }
    throw r.error("/machine/page_size", "machine.page_size must be 4k, 16k or 64k (x86-64's,"
        + " or arm64's and Power's larger pages), got " + value);
  }

  /** Whether {@code b} bytes are a whole number of pages. */
  boolean whole(long b) {
    return b % bytes == 0;
  }

  /** {@code b} bytes, a whole number of pages, as model bytes: one model page per page. */
  long model(long b) {
    return b / bytes * Kernel.PAGE_SIZE;
  }

  /** {@code b} model bytes as bytes of pages of this size: what the workload wrote. */
  long real(long b) {
    return b / Kernel.PAGE_SIZE * bytes;
  }

  /** The largest fault-around window: one PTE page's worth of pages. */
  long maxFaultAround() {
    return bytes * PteTable.PTRS_PER_PTE;
  }

  /**
   * {@code fault_around_bytes} (a power of two) as model bytes: {@code fault_around_pages} is
   * {@code rounddown_pow_of_two(max(val, PAGE_SIZE)) >> PAGE_SHIFT} (mm/memory.c,
   * fault_around_bytes_set), at least one page, which turns fault-around off.
   */
  long faultAround(long fab) {
    return Math.max(fab, bytes) / bytes * Kernel.PAGE_SIZE;
  }

  /**
   * {@code read_ahead_kb} as pages: {@code ra_pages = read_ahead_kb >> (PAGE_SHIFT - 10)}
   * (block/blk-sysfs.c, queue_ra_store).
   */
  long readAheadPages(long kb) {
    return kb * 1024 / bytes;
  }

  /** How messages write sizes that must be whole pages. */
  @Override
  public String toString() {
    return text;
  }
}
