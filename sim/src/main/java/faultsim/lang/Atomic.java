package faultsim.lang;

import faultsim.machine.CacheLine;
import faultsim.machine.Task;

/**
 * {@code atomic_t} / {@code atomic_long_t}: a counter on its own cache line. A read-modify-write
 * ({@code atomic_inc}, {@code atomic_cmpxchg}, ...) and {@code atomic_set} pay the machine's
 * atomic cost (a transfer when another core wrote the line last); {@code atomic_read} is a plain
 * load, local if this core wrote the line last, a transfer otherwise.
 */
public final class Atomic {
  private final CacheLine line;
  private long value;

  public Atomic() {
    this(new CacheLine());
  }

  /** A counter on {@code line}, shared with other fields of its structure. */
  public Atomic(CacheLine line) {
    this.line = line;
  }

  public long value() {
    return value;
  }

  /** The cache line the counter lives on. */
  public CacheLine line() {
    return line;
  }

  /** A read-modify-write (or a store) from {@code t}'s core: charges it, sets the value. */
  long write(Task t, long newValue) {
    t.busy(line.atomic(t.machine(), t.core()));
    value = newValue;
    return newValue;
  }

  /** A load from {@code t}'s core: charges it. */
  long read(Task t) {
    t.busy(line.read(t.machine(), t.core()));
    return value;
  }

  @Override
  public String toString() {
    return "atomic(" + value + ")";
  }
}
