/**
 * JMH benchmarks: the engine's event rate against a plain array heap, and a full synthetic
 * closed system. Built only with the {@code bench} Maven profile, into
 * {@code sim/target/benchmarks.jar}; run by hand, never as tests.
 */
package faultsim.bench;
