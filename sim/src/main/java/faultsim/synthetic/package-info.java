/**
 * Synthetic operations: step lists of compute, lock, sleep and I/O, run in closed loops by jobs of
 * tasks. They model critical sections that are not kernel paths, and hold the engine to
 * queueing theory.
 */
package faultsim.synthetic;
