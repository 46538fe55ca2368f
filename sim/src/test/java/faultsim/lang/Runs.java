package faultsim.lang;

import faultsim.machine.MachineSpec;
import faultsim.machine.Scenario;
import umontreal.ssj.rng.MRG32k3a;

/**
 * Runs design functions on a fresh simulated machine for tests: each {@link #call} spawns a task
 * that calls the function once and runs the engine until everything is done.
 */
final class Runs {
  final Scenario s;
  final RunEnv env = new RunEnv(new MRG32k3a());
  final TraceLog log = new TraceLog();

  Runs(MachineSpec spec) {
    this.s = new Scenario(spec);
    env.setTrace(log);
    env.setLocks(s.locks());
  }

  /** One core, every cost zero. */
  static Runs zeroCost() {
    return new Runs(Scenario.zeroCost(1, false));
  }

  Box box(long id) {
    return new Box(s.locks(), id);
  }

  /** Spawns a task named {@code name} calling {@code fn(args)} once, starting at {@code atNs}. */
  DesignProgram spawn(String name, long atNs, CompiledDesign d, String fn, Object... args) {
    DesignProgram p = new DesignProgram(env, d.function(fn), () -> args, 0, 1);
    s.machine().spawn(name, p, atNs - s.engine().now());
    return p;
  }

  void runAll() {
    s.engine().runUntil(s.engine().now() + Scenario.END_NS);
  }

  /** Calls {@code fn(args)} in a task T and returns what it returned. */
  Object call(CompiledDesign d, String fn, Object... args) {
    DesignProgram p = spawn("T", s.engine().now(), d, fn, args);
    runAll();
    return p.results().get(0);
  }

  long now() {
    return s.engine().now();
  }
}
