package faultsim.run;

import java.util.concurrent.Callable;

/**
 * Work a {@link RunPool} executes: one simulation, described by values alone (workload text,
 * overrides, design, replication and whatever else fixes the run), whose answer comes back as
 * bytes that are the same on any host and in any order. A sweep's replication ({@link RunTask})
 * and a hunt's schedule ({@code faultsim.hunt.HuntTask}) are the two kinds.
 */
public interface PoolTask extends Callable<byte[]> {}
