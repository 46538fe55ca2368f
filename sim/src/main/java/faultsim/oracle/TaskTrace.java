package faultsim.oracle;

import faultsim.lang.Args;
import faultsim.lang.Primitive;
import java.util.ArrayList;
import java.util.List;

/**
 * The last few things one task did: design functions entered and primitives called, with
 * simulated times and call depth. A ring, so that recording costs a few stores; text is made only
 * when a violation needs the interleaving. A primitive's arguments are copied as the interpreter
 * holds them, integers and booleans as longs and references as they are, into slots of the ring
 * itself, so that recording one allocates nothing.
 */
final class TaskTrace {
  /** Steps kept (a power of two). */
  static final int CAPACITY = 64;
  /** Arguments a step keeps in the ring's slots; a call with more keeps them boxed. */
  static final int ARG_SLOTS = 6;

  private final String task;
  private final long[] times = new long[CAPACITY];
  private final int[] depths = new int[CAPACITY];
  private final String[] names = new String[CAPACITY];
  /** The primitive of each step, or null for a function entered, a note or another step. */
  private final Primitive[] prims = new Primitive[CAPACITY];
  private final Object[][] args = new Object[CAPACITY][];
  /** The argument kinds of a step whose arguments are in the slots below, else null. */
  private final byte[][] argKinds = new byte[CAPACITY][];
  private final long[] argInts = new long[CAPACITY * ARG_SLOTS];
  private final Object[] argRefs = new Object[CAPACITY * ARG_SLOTS];
  private final Frame[] frames = new Frame[CAPACITY];
  private final Frame root = new Frame(null, null);
  private Frame frame = root;
  private int next;
  private long count;
  private int depth;

  TaskTrace(String task) {
    this.task = task;
  }

  String task() {
    return task;
  }

  void enter(long now, String function) {
    add(now, function, null);
    frame = frame.child(function);
    depth++;
  }

  void exit() {
    if (depth > 0) {
      depth--;
      frame = frame.parent == null ? root : frame.parent;
    }
  }

  /** A step named {@code name}: a call of primitive {@code p}, or of none when p is null. */
  void primitive(long now, Primitive p, String name, Object[] a) {
    int i = next;
    add(now, name, a == null ? new Object[0] : a);
    prims[i] = p;
  }

  /** A step named {@code name} of no primitive, with arguments {@code a}. */
  void primitive(long now, String name, Object[] a) {
    primitive(now, null, name, a);
  }

  /** A step named {@code name} of no primitive, with arguments {@code a} copied into the ring. */
  void primitive(long now, String name, Args a) {
    primitive(now, null, name, a);
  }

  /** Primitive {@code p} called with the arguments {@code a}, copied into the ring. */
  void primitive(long now, Primitive p, Args a) {
    primitive(now, p, p.name(), a);
  }

  /**
   * A step named {@code name}, a call of primitive {@code p} (null: of none), with the arguments
   * {@code a} copied into the ring.
   */
  private void primitive(long now, Primitive p, String name, Args a) {
    int n = a.count();
    int i = next;
    if (n > ARG_SLOTS) {
      add(now, name, a.toArray());
      prims[i] = p;
      return;
    }
    add(now, name, null);
    prims[i] = p;
    argKinds[i] = a.kinds();
    int at = i * ARG_SLOTS;
    for (int k = 0; k < n; k++) {
      if (a.kind(k) == Args.REF) {
        argRefs[at + k] = a.ref(k);
      } else {
        argInts[at + k] = a.i(k);
      }
    }
  }

  /** A note made by the oracle itself (e.g. "punch_hole starts"). */
  void note(long now, String text) {
    add(now, "# " + text, null);
  }

  private void add(long now, String name, Object[] a) {
    int i = next;
    times[i] = now;
    depths[i] = depth;
    names[i] = name;
    prims[i] = null;
    args[i] = a;
    argKinds[i] = null;
    frames[i] = frame;
    next = (i + 1) & (CAPACITY - 1);
    count++;
  }

  /**
   * One recorded step.
   *
   * @param stack the design functions the task was in when it took the step, outermost first,
   *     joined by {@code " > "} (null at the top level)
   */
  record Step(long timeNs, String task, String text, String stack) {}

  /**
   * A design call path: a function and the frame it was called from (the task's root frame has
   * no function). Frames are shared between the calls that take the same path, so entering a
   * function allocates only the first time the task takes that path.
   */
  static final class Frame {
    final Frame parent;
    final String function;
    private Frame[] children = new Frame[0];

    Frame(Frame parent, String function) {
      this.parent = parent;
      this.function = function;
    }

    Frame child(String fn) {
      for (Frame c : children) {
        if (c.function.equals(fn)) {
          return c;
        }
      }
      Frame c = new Frame(this, fn);
      children = java.util.Arrays.copyOf(children, children.length + 1);
      children[children.length - 1] = c;
      return c;
    }

    /** The path, outermost first, or null for the top level. */
    String path() {
      if (function == null) {
        return null;
      }
      String above = parent == null ? null : parent.path();
      return above == null ? function : above + " > " + function;
    }
  }

  /** Steps recorded at or after {@code fromNs} and at or before {@code toNs}, oldest first. */
  List<Step> steps(long fromNs, long toNs) {
    List<Step> out = new ArrayList<>();
    for (Record r : records(fromNs, toNs)) {
      out.add(r.step());
    }
    return out;
  }

  /**
   * One recorded step with what it was called on, for the queries that pick the steps of an
   * interleaving ({@link Touches}).
   *
   * @param name the primitive or design function (a note's text starts with {@code "# "})
   * @param primitive the primitive called, with its declared lock effects; null for a function
   *     entered, a note, or a step of no primitive (a delay the hunt gave)
   * @param args the primitive's arguments (host objects, indices as Longs); null for a function
   *     entered, a note, or a step replayed from its text
   * @param step the step as the interleaving prints it
   */
  record Record(long timeNs, String name, Primitive primitive, Object[] args, Step step) {
    /** The argument at {@code i}, or null if there is none. */
    Object arg(int i) {
      return args == null || i >= args.length ? null : args[i];
    }

    /** The argument at {@code i} as a long, or {@code fallback} if it is not an integer. */
    long longArg(int i, long fallback) {
      return arg(i) instanceof Long l ? l : fallback;
    }
  }

  /** Records at or after {@code fromNs} and at or before {@code toNs}, oldest first. */
  List<Record> records(long fromNs, long toNs) {
    List<Record> out = new ArrayList<>();
    int n = (int) Math.min(count, CAPACITY);
    for (int k = 0; k < n; k++) {
      int i = (int) ((next - n + k + CAPACITY) % CAPACITY);
      if (times[i] < fromNs || times[i] > toNs) {
        continue;
      }
      out.add(new Record(times[i], names[i], prims[i], arguments(i),
          new Step(times[i], task, text(i), frames[i].path())));
    }
    return out;
  }

  /** Step {@code i}'s arguments as the boxed call gave them, or null if it took none. */
  private Object[] arguments(int i) {
    byte[] kinds = argKinds[i];
    if (kinds == null) {
      return args[i];
    }
    Object[] a = new Object[kinds.length];
    for (int k = 0; k < kinds.length; k++) {
      a[k] = slot(i, k, kinds[k]);
    }
    return a;
  }

  private String text(int i) {
    String indent = "  ".repeat(Math.min(depths[i], 8));
    byte[] kinds = argKinds[i];
    if (args[i] == null && kinds == null) {
      return indent + names[i];
    }
    StringBuilder sb = new StringBuilder(indent).append(names[i]).append('(');
    boolean time = TIME_ARGUMENT.contains(names[i]);
    int n = kinds != null ? kinds.length : args[i].length;
    for (int a = 0; a < n; a++) {
      Object v = kinds != null ? slot(i, a, kinds[a]) : args[i][a];
      sb.append(a == 0 ? "" : ", ").append(time && v instanceof Long ns
          ? faultsim.workload.Units.formatTime(ns) : describe(v));
    }
    return sb.append(')').toString();
  }

  /** Argument {@code a} of step {@code i} from the ring's slots, as the boxed call gave it. */
  private Object slot(int i, int a, byte kind) {
    int at = i * ARG_SLOTS + a;
    return switch (kind) {
      case Args.INT -> argInts[at];
      case Args.BOOL -> argInts[at] != 0;
      default -> argRefs[at];
    };
  }

  /** Primitives whose integer argument is a time in ns, shown with its unit: cpu(5us). */
  private static final java.util.Set<String> TIME_ARGUMENT = java.util.Set.of("cpu",
      "schedule_timeout");

  static String describe(Object o) {
    if (o == null) {
      return "NULL";
    }
    if (o instanceof Long l) {
      long v = l;
      return v >= 0x10000 ? "0x" + Long.toHexString(v) : Long.toString(v);
    }
    return o.toString();
  }
}
