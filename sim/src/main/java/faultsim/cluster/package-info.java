/**
 * Sweeps and hunts on several hosts, on Hazelcast: {@link faultsim.cluster.Worker} starts a
 * member that runs simulation work, {@link faultsim.cluster.ClusterRunPool} hands a sweep's runs
 * or a hunt's schedules to the members as a client and submits again the work of a member that
 * leaves. Only {@code faultsim worker}, {@code faultsim sweep --cluster} and {@code faultsim hunt
 * --cluster} load this package; every Hazelcast reference in faultsim is here.
 *
 * <p>Settings are safe by default ({@link faultsim.cluster.ClusterSettings}): members bind only
 * the address given, join only the members listed (TCP/IP; multicast and auto-detection off),
 * phone-home and Jet off, and accept no Java-serialised objects but faultsim's.
 */
package faultsim.cluster;
