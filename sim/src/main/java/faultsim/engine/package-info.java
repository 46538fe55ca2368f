/**
 * The discrete-event kernel: one SSJ simulator per run with a Henriksen event list and a stated
 * tie-breaking rule, named random streams with one substream per replication (common random
 * numbers across designs), and the time distributions that programs draw from.
 */
package faultsim.engine;
