/**
 * The results directory: manifest, summary with confidence intervals, lock_stat tables,
 * HdrHistogram logs and violations, written atomically.
 */
package faultsim.results;
