package faultsim.lang;

import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.List;

/** A {@link DesignTrace} that records "time task event" lines, for exact event-order tests. */
final class TraceLog implements DesignTrace {
  final List<String> lines = new ArrayList<>();

  @Override
  public void enter(Task t, String function, String location) {
    add(t, "enter " + function);
  }

  @Override
  public void exit(Task t, String function, Object ret) {
    add(t, "exit " + function + (ret == null ? "" : " = " + ret));
  }

  @Override
  public void primitive(Task t, String name, Object[] args, String location) {
    add(t, name + " @" + location);
  }

  private void add(Task t, String what) {
    lines.add(t.machine().engine().now() + " " + t.name() + " " + what);
  }
}
