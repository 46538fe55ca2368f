/** The {@code faultsim} command line (picocli): run, validate, options. */
package faultsim.cli;
