/**
 * Running experiments: every design × replication of a workload, in parallel across runs, with
 * common random numbers, and the detached per-replication results that results files are
 * written from. Sweeps and hunts hand their work to a {@link faultsim.run.RunPool} (this
 * machine's threads, or a cluster's workers) as {@link faultsim.run.PoolTask}s; a sweep's run is
 * named by its {@link faultsim.run.RunKey}, travels as a {@link faultsim.run.RunTask} and comes
 * back encoded by {@link faultsim.run.ResultCodec}.
 */
package faultsim.run;
