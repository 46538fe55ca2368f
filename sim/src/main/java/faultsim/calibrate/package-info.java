/**
 * {@code faultsim calibrate}: fits cost profile parameters to what a kernel developer measured on
 * a machine — throughputs at several settings and, optionally, {@code /proc/lock_stat} captures
 * taken with them — by simulating the same settings and minimising the log-ratio error.
 */
package faultsim.calibrate;
