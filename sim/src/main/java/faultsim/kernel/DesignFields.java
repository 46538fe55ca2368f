package faultsim.kernel;

import java.util.Arrays;

/**
 * Storage for the fields a design declares on a kernel structure (a {@code seqcount_t} added to
 * {@code vm_area_struct}, say): an array allocated on first use and grown to the slot asked for,
 * so that structures no design extends cost one null reference.
 */
final class DesignFields {
  private DesignFields() {}

  /** {@code current}, or a copy grown to {@code size}. */
  static Object[] grow(Object[] current, int size) {
    if (current == null) {
      return new Object[size];
    }
    return current.length >= size ? current : Arrays.copyOf(current, size);
  }
}
