/**
 * Statistics and their formats: lock_stat rows and the {@code /proc/lock_stat} layout, Student-t
 * confidence intervals across replications, CSV conventions.
 */
package faultsim.stats;
