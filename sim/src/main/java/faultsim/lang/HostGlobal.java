package faultsim.lang;

import java.util.function.Function;

/** A read-only global a design reads by name; its value is computed once per run. */
record HostGlobal(int index, String name, Type type, Function<RunEnv, Object> value) {}
