/**
 * Running experiments: every design × replication of a workload, in parallel across runs, with
 * common random numbers, and the detached per-replication results that results files are
 * written from.
 */
package faultsim.run;
