/**
 * Reports built from a results directory alone: charts (JFreeChart, written as PNG and SVG), the
 * summary table with paired comparisons against the baseline design, lock_stat tables and
 * violations, rendered into one {@code index.html} by precompiled jte templates. The same
 * directory always gives the same bytes.
 */
package faultsim.report;
