/**
 * Running experiments: every design × replication of a workload, in parallel across runs, with
 * common random numbers, and the detached per-replication results that results files are
 * written from. Sweeps hand their runs to a {@link faultsim.run.RunPool} (this machine's
 * threads, or a cluster's workers); a run is named by its {@link faultsim.run.RunKey}, travels as
 * a {@link faultsim.run.RunTask} and comes back encoded by {@link faultsim.run.ResultCodec}.
 */
package faultsim.run;
