/**
 * Race hunting: runs a workload's design many times, each time delaying tasks at chosen
 * interaction points (the primitives a design calls, see {@link faultsim.lang.Perturbation}),
 * so that interleavings a design allows are reached on purpose rather than by the luck of the
 * timing; shrinks each violating list of delays to a minimal one (delta debugging) and writes it
 * as a schedule file that replays the run and its violation exactly. Schedules travel as
 * {@link faultsim.hunt.HuntTask}s through a {@link faultsim.run.RunPool}, so they run on this
 * machine's threads or on a cluster's workers with the same results.
 */
package faultsim.hunt;
