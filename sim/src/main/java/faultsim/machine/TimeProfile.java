package faultsim.machine;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where every task's time went, by call stack: each stretch a task spends in one state is
 * charged to the stack it was in, the job's name at the root, then the design functions its
 * program is in (outermost first) and the primitive it is suspended in, then, for time off its
 * work, a frame saying what it waited for: {@code [spin &ptl]}, {@code [wait
 * &mapping->invalidate_lock]}, {@code [wait_event q]}, {@code [sleep]} (a timed sleep),
 * {@code [io disk]}, {@code [wakeup]} (the wake-up latency), {@code [runqueue]} (runnable, no core
 * free), {@code [not started]}, {@code [exited]}. Time on the CPU outside any design function
 * (a fault's access to memory, think time spent computing) is {@code [user]}. Every nanosecond
 * of every task from {@link #reset} to the last {@link Machine#accountUpToNow} is charged once.
 *
 * <p>Stacks are a tree of {@link Node}s shared by every charge along the same path, so charging
 * walks the stack's depth without allocating once the path has been seen.
 */
public final class TimeProfile implements Machine.TimeListener {
  /** What a task's program says of the functions it is in. */
  public interface Stack {
    /**
     * The node under {@code root} for the frames the program is in now, outermost first, and
     * the primitive it is suspended in if any; {@code root} itself when it is in none.
     */
    Node descend(Node root);
  }

  /** One frame of a path; its children are the frames called from it. */
  public static final class Node {
    private static final Node[] NONE = new Node[0];
    final String name;
    final Node parent;
    long ns;
    private Node[] children = NONE;
    private int count;
    /** Children found by {@link #leaf}, by the number given there; a cache of {@link #child}. */
    private Node[] leaves = NONE;
    private String frame;

    Node(String name, Node parent) {
      this.name = name;
      this.parent = parent;
    }

    /** The frame above this one (toward the root), or null for a job's root. */
    public Node parent() {
      return parent;
    }

    /** The frame's name as charged: a function's, a primitive's, a job's for a root. */
    public String name() {
      return name;
    }

    /**
     * The frame's name as the folded stacks write it ({@code [wait &mm->mmap_lock]} for what a
     * task waited on), or null for the marker of a wait, which is one frame with the node above
     * it.
     */
    public String frame() {
      if (frame == null && !isMarker()) {
        frame = parent != null && parent.isMarker() ? waitFrame(parent.name, name)
            : TimeProfile.frame(name);
      }
      return frame;
    }

    boolean isMarker() {
      return name.charAt(0) == '\u0000';
    }

    /**
     * The child frame {@code name}, as {@link #child}, given also a small number that stands for
     * that name wherever the caller uses it (a primitive's id within its host): a primitive's
     * node under a function's is then one array load, not a search of the function's children
     * on nearly every event.
     */
    public Node leaf(int id, String name) {
      Node[] l = leaves;
      if (id < l.length) {
        Node n = l[id];
        // The name is checked too, so a number another caller used for another name can cost
        // only a search.
        if (n != null && n.name == name) {
          return n;
        }
      }
      Node n = child(name);
      if (id >= l.length) {
        leaves = l = Arrays.copyOf(l, Math.max(id + 1, 2 * l.length));
      }
      l[id] = n;
      return n;
    }

    /** The child frame {@code name}, made on first use. */
    public Node child(String name) {
      Node[] c = children;
      // A frame's name is nearly always the very string its node was made with (a function's,
      // a primitive's): look for it by reference first, then by value. Names of one node's
      // children differ, so both find the same child.
      for (int i = 0; i < count; i++) {
        if (c[i].name == name) {
          return c[i];
        }
      }
      for (int i = 0; i < count; i++) {
        Node n = c[i];
        if (n.name.equals(name)) {
          return n;
        }
      }
      if (count == c.length) {
        children = c = Arrays.copyOf(c, Math.max(4, count * 2));
      }
      Node n = new Node(name, this);
      c[count++] = n;
      return n;
    }
  }

  // Markers of the off-work frames; the child under one is what the task waited on, as the
  // task said it (e.g. "down_read(&mm->mmap_lock)").
  private static final String SPIN = "\u0000spin";
  private static final String SLEEP = "\u0000sleep";
  private static final String IO = "\u0000io";
  private static final String USER = "[user]";
  private static final String WAKEUP = "[wakeup]";
  private static final String RUNQUEUE = "[runqueue]";
  private static final String NOT_STARTED = "[not started]";
  private static final String EXITED = "[exited]";

  /** Told of every charge with the node charged (a trace of replication 0, say). */
  public interface Observer {
    void charged(Task t, Task.State state, Node node, long startNs, long ns);
  }

  /** Each task's root, by task id: its job's, shared by every task of the job. */
  private Node[] roots = new Node[0];
  /**
   * The jobs' roots by name, in the order first charged. A job's tasks share one tree: the
   * folded stacks add the tasks of a job together anyway, and a thousand tasks each charging
   * their own copy of the same nodes kept a thousand copies in the caches.
   */
  private final Map<String, Node> jobs = new LinkedHashMap<>();
  private Observer observer;

  /** Sets who is told of every charge (null: nobody). */
  public void setObserver(Observer o) {
    observer = o;
  }

  @Override
  public void spent(Task t, Task.State state, long startNs, long ns) {
    Node root = root(t);
    Node n = t.attachment() instanceof Stack s ? s.descend(root) : root;
    switch (state) {
      case RUNNING, BUSY -> n = n == root ? n.child(USER) : n;
      case SPINNING -> n = n.child(SPIN).child(t.waitingOn());
      case SLEEPING -> n = n.child(SLEEP).child(t.waitingOn());
      case IO -> n = n.child(IO).child(t.waitingOn());
      case WAKING -> n = n.child(WAKEUP);
      case RUNNABLE -> n = n.child(RUNQUEUE);
      case NEW -> n = n.child(NOT_STARTED);
      case EXITED -> n = n.child(EXITED);
      default -> throw new IllegalStateException("time charged in state " + state);
    }
    n.ns += ns;
    if (observer != null) {
      observer.charged(t, state, n, startNs, ns);
    }
  }

  private Node root(Task t) {
    int id = t.id();
    if (id >= roots.length) {
      roots = Arrays.copyOf(roots, Math.max(id + 1, roots.length * 2));
    }
    Node r = roots[id];
    if (r == null) {
      r = roots[id] = jobs.computeIfAbsent(t.job(), job -> new Node(job, null));
    }
    return r;
  }

  /** Forgets everything charged so far (the end of the ramp). */
  @Override
  public void reset() {
    roots = new Node[0];
    jobs.clear();
  }

  /**
   * Every stack charged, in Brendan Gregg's folded form ({@code frame;frame;frame}) mapped to
   * its nanoseconds, tasks of one job together, in string order.
   */
  public Map<String, Long> folded() {
    TreeMap<String, Long> out = new TreeMap<>();
    StringBuilder sb = new StringBuilder();
    for (Node r : jobs.values()) {
      fold(r, sb, out);
    }
    return out;
  }

  private static void fold(Node n, StringBuilder sb, Map<String, Long> out) {
    if (n.isMarker()) {
      // A marker and each thing waited on below it are one frame.
      for (int i = 0; i < n.count; i++) {
        fold(n.children[i], sb, out);
      }
      return;
    }
    int mark = sb.length();
    if (mark > 0) {
      sb.append(';');
    }
    sb.append(n.frame());
    if (n.ns > 0) {
      out.merge(sb.toString(), n.ns, Long::sum);
    }
    for (int i = 0; i < n.count; i++) {
      fold(n.children[i], sb, out);
    }
    sb.setLength(mark);
  }

  /** A frame name safe in the folded form: no ';', no line breaks. */
  static String frame(String name) {
    return name.replace(';', ',').replace('\n', ' ');
  }

  /**
   * The frame of time spent off work: what a task waiting said it waited on
   * ({@code op(&class)} for a lock, {@code wait_event(q)}, {@code schedule_timeout},
   * {@code submit_bio(READ) disk}) as {@code [spin &class]}, {@code [wait &class]},
   * {@code [wait_event q]}, {@code [sleep]}, {@code [io disk]}.
   */
  static String waitFrame(String marker, String on) {
    int open = on.indexOf('(');
    String op = open < 0 ? on : on.substring(0, open);
    String arg = open >= 0 && on.endsWith(")") ? on.substring(open + 1, on.length() - 1) : "";
    String text;
    if (marker.equals(IO)) {
      int space = on.lastIndexOf(' ');
      text = "[io " + (space < 0 ? on : on.substring(space + 1)) + "]";
    } else if (marker.equals(SPIN)) {
      text = "[spin " + (arg.isEmpty() ? on : arg) + "]";
    } else if (op.equals("wait_event")) {
      text = "[wait_event " + arg + "]";
    } else if (op.equals("schedule_timeout") || on.isEmpty()) {
      text = "[sleep]";
    } else {
      text = "[wait " + (arg.isEmpty() ? on : arg) + "]";
    }
    return frame(text);
  }
}
