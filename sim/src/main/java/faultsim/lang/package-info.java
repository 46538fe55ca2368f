/**
 * The design language: a locking design written as C-like functions named after the kernel
 * functions they model ({@code do_read_fault}, {@code filemap_map_pages}), calling lock and cost
 * primitives named as in the kernel. A design may {@code extends} another and override only the
 * functions it changes; functions are virtual and {@code super.f(...)} calls the parent's.
 *
 * <p>Flow: {@link faultsim.lang.DesignLibrary} reads a design and its bases (grammar
 * {@code Design.g4}, ANTLR), checks it against a {@link faultsim.lang.Host} (the types, fields,
 * constants, globals and primitives Java code defined) and compiles every function to a compact
 * stack-machine code; {@link faultsim.lang.CompiledDesign} is the result. At run time each task
 * has a {@link faultsim.lang.DesignCall} that interprets a call step by step, suspending whenever
 * a primitive makes the task wait or spend time, so a task stays an event-driven state machine.
 * Errors at load time are {@link faultsim.workload.InputException}s naming file, line and column;
 * faults at run time are {@link faultsim.lang.DesignFault}s naming the statement and the design
 * call stack.
 *
 * <p>{@code wait_event(wq, cond)} is a special form: {@code cond} is evaluated, and while it is
 * false the task sleeps on {@code wq} and evaluates it again after each wake-up. As in the
 * kernel, the condition should be a plain check: a wake-up issued while a condition that takes
 * simulated time is being evaluated is not seen until the next one.
 */
package faultsim.lang;
