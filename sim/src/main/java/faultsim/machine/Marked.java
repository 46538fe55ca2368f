package faultsim.machine;

/**
 * State that more than one task reads or changes (a cache line, a folio, a page table, a file's
 * page cache and size, a VMA), with the keys of its latest reads and writes, for
 * {@link Speculation}: a task that has run ahead of the clock leaves its keys here, and an
 * access with an earlier key shows that the run ahead was not exact.
 *
 * <p>The keys stay zero, and are never looked at, unless the run speculates.
 */
public abstract class Marked {
  /** The greatest {@link faultsim.engine.Engine#currentKey key} of a read so far. */
  long readMark;
  /** The greatest key of a write so far. */
  long writeMark;
}
