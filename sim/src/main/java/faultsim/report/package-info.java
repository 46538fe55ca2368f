/**
 * Reports built from a results directory alone: charts (JFreeChart, written as PNG and SVG), the
 * summary table with paired comparisons against the baseline design, lock_stat tables and
 * violations, rendered into one {@code index.html} by precompiled jte templates; a hunt's
 * directory gets its own page ({@link faultsim.report.HuntPage}) in the same look, its findings'
 * interleavings drawn as the run page draws violations. The same directory always gives the same
 * bytes.
 */
package faultsim.report;
