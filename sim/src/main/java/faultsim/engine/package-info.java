/**
 * The discrete-event kernel: one event list per run (a heap of reusable timers) with a stated
 * tie-breaking rule, named random streams with one substream per replication (common random
 * numbers across designs), and the time distributions that programs draw from.
 */
package faultsim.engine;
