/**
 * The simulated machine: cores in sockets, tasks that run programs on them, a scheduler for more
 * tasks than cores, cache lines that remember their last writer, and the cost profile
 * (kernel-paths.md §C). A task spinning keeps its core busy; a task sleeping frees it.
 */
package faultsim.machine;
