/**
 * Workload files: YAML in fio's habits (a {@code global:} section, {@code jobs:} that override
 * it, {@code numjobs}, sizes with k/M/G, times with a required unit), bound to records with
 * Jackson, checked with {@code file:line:column} in every error, and resolved into what is
 * simulated.
 */
package faultsim.workload;
