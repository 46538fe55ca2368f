package faultsim.synthetic;

import faultsim.engine.Dist;

/**
 * One step of a synthetic operation: a critical section that is not a modelled kernel path, or
 * the closed system the engine is checked against queueing theory with.
 */
public sealed interface Step {
  /** Compute on the task's core for a drawn time. */
  record Cpu(Dist time) implements Step {}

  /** Sleep for a drawn time, freeing the core. */
  record Sleep(Dist time) implements Step {}

  /** An I/O on a named device, waited for in {@code io_schedule()}. */
  record Io(String device, boolean write) implements Step {}

  /** Acquire a named lock, exclusive ({@code write}) or shared. */
  record Acquire(String lock, boolean write) implements Step {}

  /** Release a named lock held in that mode. */
  record Release(String lock, boolean write) implements Step {}
}
