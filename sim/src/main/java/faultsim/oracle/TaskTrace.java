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
 *
 * <p>A step's fields sit together, its numbers in one stretch of a {@code long[]} and its
 * references in one stretch of an {@code Object[]}, so that recording it writes two or three
 * cache lines rather than one in each of nine arrays: with a thousand tasks, a task's ring is
 * rarely still in the cache when it takes its next step.
 */
final class TaskTrace {
  /** Steps kept (a power of two). */
  static final int CAPACITY = 64;
  /** Arguments a step keeps in the ring's slots; a call with more keeps them boxed. */
  static final int ARG_SLOTS = 6;

  // A step's numbers: its time, its call depth, then its integer arguments.
  private static final int TIME = 0;
  private static final int DEPTH = 1;
  private static final int ARG_INTS = 2;
  private static final int LONGS = ARG_INTS + ARG_SLOTS;
  // A step's references: its name; its primitive (null for a function entered, a note or
  // another step); its arguments boxed (Object[]), or their kinds (byte[]) when they are in the
  // slots that follow; the frame it was taken in; then its reference arguments, and one slot
  // spare so that a step's references fill 48 bytes.
  private static final int NAME = 0;
  private static final int PRIM = 1;
  private static final int ARGS = 2;
  private static final int KINDS = 3;
  private static final int FRAME = 4;
  private static final int ARG_REFS = 5;
  private static final int REFS = ARG_REFS + ARG_SLOTS + 1;

  private final String task;
  private final long[] nums = new long[CAPACITY * LONGS];
  private final Object[] refs = new Object[CAPACITY * REFS];
  private final Frame root;
  private Frame frame;
  private int next;
  private long count;
  private int depth;

  TaskTrace(String task) {
    this(task, new Frame(null, null));
  }

  /**
   * A trace whose call paths grow from {@code root}: the paths depend on the functions alone,
   * so the tasks of a run may share one tree.
   */
  TaskTrace(String task, Frame root) {
    this.task = task;
    this.root = root;
    this.frame = root;
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
    refs[i * REFS + PRIM] = p;
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
      refs[i * REFS + PRIM] = p;
      return;
    }
    add(now, name, null);
    int r = i * REFS;
    refs[r + PRIM] = p;
    refs[r + KINDS] = a.kinds();
    int at = i * LONGS + ARG_INTS;
    r += ARG_REFS;
    for (int k = 0; k < n; k++) {
      if (a.kind(k) == Args.REF) {
        refs[r + k] = a.ref(k);
      } else {
        nums[at + k] = a.i(k);
      }
    }
  }

  /** A note made by the oracle itself (e.g. "punch_hole starts"). */
  void note(long now, String text) {
    add(now, "# " + text, null);
  }

  private void add(long now, String name, Object[] a) {
    int i = next;
    nums[i * LONGS + TIME] = now;
    nums[i * LONGS + DEPTH] = depth;
    int r = i * REFS;
    refs[r + NAME] = name;
    refs[r + PRIM] = null;
    refs[r + ARGS] = a;
    refs[r + KINDS] = null;
    refs[r + FRAME] = frame;
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
      long time = nums[i * LONGS + TIME];
      if (time < fromNs || time > toNs) {
        continue;
      }
      out.add(new Record(time, name(i), (Primitive) refs[i * REFS + PRIM], arguments(i),
          new Step(time, task, text(i), ((Frame) refs[i * REFS + FRAME]).path())));
    }
    return out;
  }

  /** Step {@code i}'s arguments as the boxed call gave them, or null if it took none. */
  private Object[] arguments(int i) {
    byte[] kinds = kinds(i);
    if (kinds == null) {
      return boxed(i);
    }
    Object[] a = new Object[kinds.length];
    for (int k = 0; k < kinds.length; k++) {
      a[k] = slot(i, k, kinds[k]);
    }
    return a;
  }

  private String name(int i) {
    return (String) refs[i * REFS + NAME];
  }

  /** Step {@code i}'s arguments as boxed by the call, or null if they are in the slots or none. */
  private Object[] boxed(int i) {
    return (Object[]) refs[i * REFS + ARGS];
  }

  /** The kinds of step {@code i}'s arguments if they are in the slots, else null. */
  private byte[] kinds(int i) {
    return (byte[]) refs[i * REFS + KINDS];
  }

  private String text(int i) {
    String indent = "  ".repeat((int) Math.min(nums[i * LONGS + DEPTH], 8));
    byte[] kinds = kinds(i);
    Object[] boxed = boxed(i);
    String name = name(i);
    if (boxed == null && kinds == null) {
      return indent + name;
    }
    StringBuilder sb = new StringBuilder(indent).append(name).append('(');
    boolean time = TIME_ARGUMENT.contains(name);
    int n = kinds != null ? kinds.length : boxed.length;
    for (int a = 0; a < n; a++) {
      Object v = kinds != null ? slot(i, a, kinds[a]) : boxed[a];
      sb.append(a == 0 ? "" : ", ").append(time && v instanceof Long ns
          ? faultsim.workload.Units.formatTime(ns) : describe(v));
    }
    return sb.append(')').toString();
  }

  /** Argument {@code a} of step {@code i} from the ring's slots, as the boxed call gave it. */
  private Object slot(int i, int a, byte kind) {
    return switch (kind) {
      case Args.INT -> nums[i * LONGS + ARG_INTS + a];
      case Args.BOOL -> nums[i * LONGS + ARG_INTS + a] != 0;
      default -> refs[i * REFS + ARG_REFS + a];
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
