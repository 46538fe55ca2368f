package faultsim.fault;

import faultsim.lang.CompiledDesign;
import faultsim.lang.DesignLibrary;
import faultsim.lang.DesignTrace;
import faultsim.lang.Primitive;
import faultsim.machine.Task;
import faultsim.oracle.Oracle;
import faultsim.run.Experiment;
import faultsim.workload.InputException;
import faultsim.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Runs a workload through one design, as {@link KernelRuns} does, and also logs what the design
 * did, one line per event: {@code "<ns> <task> <event>"}, where the event is {@code enter f},
 * {@code exit f = value} or a primitive with its arguments ({@code folio_lock(folio(data:0))}).
 * The oracle sees the same events as in a normal run.
 */
final class TracedRuns {
  private TracedRuns() {}

  /** A finished run and its event log. */
  record Traced(KernelRun run, List<String> log) {
    /** The events whose text (after time and task) satisfies {@code keep}, in order. */
    List<String> events(Predicate<String> keep) {
      List<String> out = new ArrayList<>();
      for (String line : log) {
        String[] p = line.split(" ", 3);
        if (keep.test(p[2])) {
          out.add(line);
        }
      }
      return out;
    }

    /** The time of the first event of {@code task} equal to {@code event}; -1 if none. */
    long timeOf(String task, String event) {
      for (String line : log) {
        String[] p = line.split(" ", 3);
        if (p[1].equals(task) && p[2].equals(event)) {
          return Long.parseLong(p[0]);
        }
      }
      return -1;
    }
  }

  /** Runs {@code yaml} through {@code design}: a built-in name, or design text (with a newline). */
  static Traced run(String yaml, String design) throws InputException {
    Workload w = KernelRuns.workload(yaml);
    CompiledDesign d;
    if (design.contains("\n")) {
      d = DesignLibrary.compile("test.design", design, null, Designs.host());
      Designs.requireEntryPoints(d);
    } else {
      d = Designs.load(design, w);
    }
    List<String> log = new ArrayList<>();
    KernelRun run = new KernelRun(w, Designs.binding(d, oracle -> new Log(oracle, log)),
        Experiment.streams(w).forReplication(0)).run();
    return new Traced(run, log);
  }

  private record Log(Oracle oracle, List<String> lines) implements DesignTrace {
    @Override
    public void enter(Task t, String function, String location) {
      oracle.enter(t, function);
      add(t, "enter " + function);
    }

    @Override
    public void exit(Task t, String function, Object ret) {
      oracle.exit(t);
      add(t, "exit " + function + (ret == null ? "" : " = " + describe(ret)));
    }

    @Override
    public void primitive(Task t, Primitive p, Object[] args, String location) {
      oracle.primitive(t, p, args);
      log(t, p.name(), args);
    }

    @Override
    public void primitive(Task t, String name, Object[] args, String location) {
      oracle.primitive(t, name, args);
      log(t, name, args);
    }

    private void log(Task t, String name, Object[] args) {
      StringBuilder sb = new StringBuilder(name).append('(');
      for (int i = 0; i < args.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(describe(args[i]));
      }
      add(t, sb.append(')').toString());
    }

    private void add(Task t, String what) {
      lines.add(t.machine().engine().now() + " " + t.name() + " " + what);
    }

    private static String describe(Object o) {
      if (o instanceof Long l) {
        return l >= 0x10000 ? "0x" + Long.toHexString(l) : Long.toString(l);
      }
      return String.valueOf(o);
    }
  }
}
