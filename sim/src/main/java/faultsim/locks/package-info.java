/**
 * Locks with Linux semantics (kernel-paths.md §B): ticket and queued spinlocks, mutexes with
 * optimistic spinning and handoff, rwsems with writer preference and handoff, the folio lock with
 * bounded stealing, seqcounts, RCU read sections and wait queues; per-class statistics in the
 * {@code /proc/lock_stat} layout.
 */
package faultsim.locks;
