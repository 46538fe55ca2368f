package faultsim.oracle;

import faultsim.kernel.AddressSpace;
import faultsim.kernel.Folio;
import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.PteTable;
import faultsim.kernel.Vma;
import faultsim.lang.Primitive;
import faultsim.machine.ContextViolation;
import faultsim.machine.HeldLock;
import faultsim.machine.LockInstance;
import faultsim.machine.Machine;
import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The correctness oracle of one run (PRODUCT.md, "Correctness oracle"). It sees the kernel state
 * directly, not through any design's locks, and checks:
 *
 * <ul>
 *   <li><b>stale data</b>: after a truncate or hole punch has finished, a page-cache folio or a
 *       PTE in its range holding data older than the blocks (a folio read before the blocks were
 *       freed), or a PTE mapping a folio that is no longer in the file (seed 000); a PTE set
 *       while no such operation covers the page is checked at once;
 *   <li><b>beyond EOF</b>: a PTE at or past {@code i_size} after a truncate finished;
 *   <li><b>punch guarantee</b>: a folio in the hole when the punch started still there when it
 *       ended (seed 001); folios created behind the cursor are counted apart;
 *   <li><b>no progress</b>: an operation retried more than {@code max_retries} times, or a
 *       truncate / punch running longer than {@code no_progress_time};
 *   <li><b>lock order</b>: lockdep's rule, a cycle in the graph "class B taken while holding
 *       class A" over every task of the run (trylocks add no edge), reported with both chains;
 *   <li><b>invalid context</b>: a sleeping primitive in an RCU read section or under a spinlock
 *       (from the machine);
 *   <li><b>pte_after_munmap</b>, <b>detached_vma</b>, <b>pte_protection</b>: what a race with
 *       munmap or mprotect of a VMA leaves behind ({@link VmaChecks}).
 * </ul>
 *
 * Each kind is counted; the first {@value #SHOWN_PER_KIND} of each keep their interleaving,
 * centred on the state the violation is about and naming its culprit ({@link Interleaving}).
 */
public final class Oracle implements Machine.LockListener {
  /** Violations of one kind kept with their interleaving. */
  public static final int SHOWN_PER_KIND = 5;

  private final Machine machine;
  private final long maxRetries;
  private final long noProgressNs;
  private final List<TaskTrace> traces = new ArrayList<>();
  /** {@link #traces} by task id, for the lookup at every traced step. */
  private TaskTrace[] tracesById = new TaskTrace[0];
  /** The design call paths of every task's trace, one tree for the run. */
  private final TaskTrace.Frame callPaths = new TaskTrace.Frame(null, null);
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final List<Violation> shown = new ArrayList<>();
  private final List<Op> inFlight = new ArrayList<>();
  private final Map<String, Map<String, Edge>> graph = new HashMap<>();
  private final Set<String> cyclesReported = new TreeSet<>();
  private long punchRecreated;
  private boolean measuring = true;
  private final VmaChecks vmaChecks = new VmaChecks(this);
  /** Whether tasks' steps are recorded; see {@link TraceNeeded}. */
  private final boolean traced;

  public Oracle(Machine machine, long maxRetries, long noProgressNs) {
    this(machine, maxRetries, noProgressNs, true);
  }

  /**
   * An oracle that records every task's steps if {@code traced}; otherwise it checks and counts
   * all the same, and throws {@link TraceNeeded} where it would show steps.
   */
  public Oracle(Machine machine, long maxRetries, long noProgressNs, boolean traced) {
    this.machine = machine;
    this.maxRetries = maxRetries;
    this.noProgressNs = noProgressNs;
    this.traced = traced;
    for (String k : Violation.KINDS) {
      counts.put(k, 0L);
    }
    machine.setLockListener(this);
    machine.setContextListener(this::invalidContext);
  }

  // ---- tracing --------------------------------------------------------------------------------

  /**
   * Thrown by an oracle that records no steps where it needs them: a violation or a lock-order
   * cycle to show with its interleaving. Recording costs a tenth to a fifth of a run's time, and
   * most runs show nothing, so a run may go without and, on this, be run again from the same
   * random numbers with steps recorded: the simulation does not depend on the recording, so the
   * second run takes every step the first took, and its results are the ones to keep. An
   * {@link Error}, like {@link faultsim.machine.Speculation.Conflict}, so that no handler of a
   * design's failures takes it for one.
   */
  public static final class TraceNeeded extends Error {
    private static final long serialVersionUID = 1L;

    TraceNeeded(String what) {
      super(what, null, false, false);
    }
  }

  /** Whether tasks' steps are recorded (false: {@link TraceNeeded} where they are needed). */
  public boolean traced() {
    return traced;
  }

  /** Throws {@link TraceNeeded} if steps are not recorded: {@code what} needs them. */
  private void needTrace(String what) {
    if (!traced) {
      throw new TraceNeeded(what);
    }
  }

  TaskTrace trace(Task t) {
    int id = t.id();
    TaskTrace[] byId = tracesById;
    if (id < byId.length && byId[id] != null) {
      return byId[id];
    }
    while (traces.size() <= id) {
      traces.add(null);
    }
    TaskTrace tr = traces.get(id);
    if (tr == null) {
      tr = new TaskTrace(t.name(), callPaths);
      traces.set(id, tr);
    }
    if (id >= tracesById.length) {
      tracesById = java.util.Arrays.copyOf(tracesById, Math.max(id + 1, 2 * tracesById.length));
    }
    tracesById[id] = tr;
    return tr;
  }

  /** A design function is entered by {@code t}. */
  public void enter(Task t, String function) {
    if (traced) {
      trace(t).enter(now(), function);
    }
  }

  public void exit(Task t) {
    if (traced) {
      trace(t).exit();
    }
  }

  /**
   * {@code t} takes a step named {@code name} that is no primitive of the design (a delay the
   * hunt gave it, a wait).
   */
  public void primitive(Task t, String name, Object[] args) {
    if (traced) {
      trace(t).primitive(now(), null, name, args);
    }
  }

  /** {@code t} calls primitive {@code p} with {@code args}. */
  public void primitive(Task t, Primitive p, Object[] args) {
    if (traced) {
      trace(t).primitive(now(), p, p.name(), args);
    }
  }

  /** {@code t} calls primitive {@code p} with {@code args} (copied: the view is not kept). */
  public void primitive(Task t, Primitive p, faultsim.lang.Args args) {
    if (traced) {
      trace(t).primitive(now(), p, args);
    }
  }

  /** A note made by the oracle itself in {@code t}'s steps (e.g. "punch_hole starts"). */
  private void note(Task t, String text) {
    if (traced) {
      trace(t).note(now(), text);
    }
  }

  private long now() {
    return machine.engine().now();
  }

  // ---- counting -------------------------------------------------------------------------------

  /** Counts start from zero again at the end of the ramp. */
  public void resetCounts() {
    counts.replaceAll((k, v) -> 0L);
    shown.clear();
    punchRecreated = 0;
  }

  /**
   * Counts a violation; the first few of a kind keep their interleaving, centred on
   * {@code focus} over every task's recorded steps ({@link Interleaving}).
   */
  void report(String kind, String summary, Interleaving.Focus focus) {
    // A violation's interleaving shows every task's steps up to now: none may be ahead.
    faultsim.machine.Speculation.catchUpAhead(machine.speculation());
    counts.merge(kind, 1L, Long::sum);
    if (showing(kind)) {
      needTrace(kind + " violation: " + summary);
      List<Interleaving.Column> columns = new ArrayList<>();
      for (TaskTrace t : traces) {
        if (t != null) {
          columns.add(Interleaving.Column.of(t, now()));
        }
      }
      shown.add(new Violation(kind, now(), summary, Interleaving.render(focus, columns)));
    }
  }

  /** Whether a violation of {@code kind} found now keeps its interleaving. */
  private boolean showing(String kind) {
    return shown.stream().filter(v -> v.kind().equals(kind)).count() < SHOWN_PER_KIND;
  }

  /** Violations counted, by kind, in the order of {@link Violation}'s kinds. */
  public Map<String, Long> counts() {
    return java.util.Collections.unmodifiableMap(counts);
  }

  /** The first few violations of each kind with their interleavings, in the order found. */
  public List<Violation> shown() {
    return List.copyOf(shown);
  }

  /** Folios created in a hole behind a punch's cursor (allowed, counted). */
  public long punchRecreated() {
    return punchRecreated;
  }

  // ---- invalid context ------------------------------------------------------------------------

  private void invalidContext(Task t, ContextViolation v) {
    // The sleeping call is the task's last step; the locks and RCU section around it bracket it.
    report(Violation.INVALID_CONTEXT, Violation.invalidContextSummary(v),
        new Interleaving.Focus(r -> null).culprit(t.name()).lastStep(t.name(),
            "may sleep in atomic context (" + v.context() + ")"));
  }

  // ---- lock order -----------------------------------------------------------------------------

  /** An edge of the lock-class graph: first seen where. */
  private record Edge(String from, String to, Task task, long timeNs, String chain,
      List<TaskTrace.Record> records) {}

  @Override
  public void acquired(Task t, LockInstance lock, boolean write, boolean trylock) {
    if (!trylock) {
      addEdges(t, lock, write);
    }
  }

  /**
   * lockdep records the dependencies of an acquisition when it is attempted, before any wait
   * (so a deadlock's own edges are in the graph): one edge from each class held to this one.
   */
  private void addEdges(Task t, LockInstance lock, boolean write) {
    if (t.heldCount() == 0) {
      return;
    }
    String to = lock.className();
    for (int i = 0, n = t.heldCount(); i < n; i++) {
      HeldLock h = t.heldAt(i);
      String from = h.lock().className();
      if (from.equals(to)) {
        continue;
      }
      Map<String, Edge> out = graph.computeIfAbsent(from, k -> new HashMap<>());
      if (out.containsKey(to)) {
        continue;
      }
      // A new edge keeps when, and in which steps, it was first seen: catch up first (an
      // event before this one may add it).
      if (machine.speculation() != null && machine.speculation().ahead(t)) {
        machine.speculation().catchUp(t);
        if (out.containsKey(to)) {
          continue;
        }
      }
      String chain = t.describeHeld() + " -> " + to + (write ? "-W" : "-R");
      // Without recorded steps the edge keeps none: a cycle it closes needs them (needTrace).
      Edge e = new Edge(from, to, t, now(), chain,
          traced ? trace(t).records(0, now()) : null);
      out.put(to, e);
      List<Edge> back = path(to, from);
      if (back != null) {
        cycle(e, back);
      }
    }
  }

  /**
   * The lock order this run took, as lockdep's dependency graph: {@code "A -> B"} (B taken, or
   * waited for, with A held; a trylock adds no pair ending at its lock) mapped to the simulated time it was first
   * seen, sorted by pair.
   */
  public java.util.SortedMap<String, Long> observedOrder() {
    java.util.SortedMap<String, Long> out = new java.util.TreeMap<>();
    for (Map<String, Edge> edges : graph.values()) {
      for (Edge e : edges.values()) {
        out.put(e.from() + " -> " + e.to(), e.timeNs());
      }
    }
    return out;
  }

  /**
   * {@code t} now waits for {@code lock}: if a holder of it waits, transitively, for a lock
   * {@code t} holds, every task of that cycle is blocked for good. The cycle is reported (a
   * lock-order violation) and the run ends there.
   */
  @Override
  public void waiting(Task t, LockInstance lock, boolean write) {
    waitsForWrite.put(t, write);
    addEdges(t, lock, write);
    // Tasks blocked in a cycle imply a cycle of lock classes (already reported, since edges are
    // recorded before waiting) or two locks of one class, which lockdep does not order: only
    // then is the search over every task worth its cost on this hot path.
    if (cyclesReported.isEmpty() && !holdsClass(t, lock.className())) {
      return;
    }
    List<Task> cycle = new ArrayList<>();
    cycle.add(t);
    if (!blockedBy(t, lock, cycle, new java.util.HashSet<>())) {
      return;
    }
    StringBuilder summary = new StringBuilder("deadlock:");
    List<Touches.Target> locks = new ArrayList<>();
    for (Task c : cycle) {
      summary.append(" task ").append(c.name()).append(" holds ").append(c.describeHeld())
          .append(" and waits for ").append(c.waitingFor().className()).append(';');
      locks.add(Touches.lock(c.waitingFor()));
    }
    // Tasks queued for a lock a task of the cycle waits for: an rwsem writer queued there
    // keeps later readers out although the lock is only held shared.
    List<Task> queued = new ArrayList<>();
    for (Task q : machine.tasks()) {
      if (!cycle.contains(q) && q.waitingFor() != null
          && cycle.stream().anyMatch(c -> c.waitingFor() == q.waitingFor())) {
        queued.add(q);
        summary.append(" task ").append(q.name()).append(" is queued for ")
            .append(q.waitingFor().className())
            .append(waitsForWrite.getOrDefault(q, false) ? " (write)" : "").append(';');
      }
    }
    summary.setLength(summary.length() - 1);
    Interleaving.Focus focus = new Interleaving.Focus(Touches.anyOf(locks));
    for (int i = 0; i < cycle.size(); i++) {
      Task c = cycle.get(i);
      focus.lastStep(c.name(), "waits for " + c.waitingFor().className() + ", held by task "
          + cycle.get((i + 1) % cycle.size()).name());
    }
    Task writer = queued.stream().filter(q -> waitsForWrite.getOrDefault(q, false))
        .findFirst().orElse(null);
    for (Task q : queued) {
      focus.lastStep(q.name(), "queues for " + q.waitingFor().className()
          + (waitsForWrite.getOrDefault(q, false) ? " (write)" : "") + " behind its holders");
    }
    if (writer != null) {
      // The writer is what keeps the cycle's reader of that lock waiting.
      Task reader = cycle.stream().filter(c -> c.waitingFor() == writer.waitingFor()
          && !waitsForWrite.getOrDefault(c, false)).findFirst().orElse(cycle.get(0));
      focus.culprit(writer.name()).victim(reader.name());
    } else {
      focus.culprit(t.name()).victim(cycle.get(1 % cycle.size()).name());
    }
    report(Violation.LOCK_ORDER, summary.toString(), focus);
    deadlocked = true;
    machine.engine().halt();
  }

  private boolean deadlocked;
  /** Per task, whether the lock it last started waiting for was wanted for write. */
  private final Map<Task, Boolean> waitsForWrite = new IdentityHashMap<>();

  /** Whether the run ended in a deadlock. */
  public boolean deadlocked() {
    return deadlocked;
  }

  /** Whether a holder of {@code lock} is {@code cycle.get(0)} or waits on to it; extends it. */
  private boolean blockedBy(Task start, LockInstance lock, List<Task> cycle,
      java.util.Set<Task> seen) {
    for (Task h : machine.tasks()) {
      if (!holds(h, lock)) {
        continue;
      }
      if (h == start) {
        return true;
      }
      LockInstance next = h.waitingFor();
      if (next != null && seen.add(h)) {
        cycle.add(h);
        if (blockedBy(start, next, cycle, seen)) {
          return true;
        }
        cycle.remove(cycle.size() - 1);
      }
    }
    return false;
  }

  private static boolean holdsClass(Task t, String className) {
    for (int i = 0, n = t.heldCount(); i < n; i++) {
      HeldLock h = t.heldAt(i);
      if (h.lock().className().equals(className)) {
        return true;
      }
    }
    return false;
  }

  private static boolean holds(Task t, LockInstance lock) {
    for (int i = 0, n = t.heldCount(); i < n; i++) {
      HeldLock h = t.heldAt(i);
      if (h.lock() == lock) {
        return true;
      }
    }
    return false;
  }

  /** A path of edges from {@code a} to {@code b}, or null. */
  private List<Edge> path(String a, String b) {
    Map<String, Edge> via = new HashMap<>();
    java.util.ArrayDeque<String> queue = new java.util.ArrayDeque<>();
    queue.add(a);
    via.put(a, null);
    while (!queue.isEmpty()) {
      String c = queue.poll();
      if (c.equals(b)) {
        List<Edge> p = new ArrayList<>();
        for (String x = b; via.get(x) != null; x = via.get(x).from()) {
          p.add(0, via.get(x));
        }
        return p;
      }
      Map<String, Edge> out = graph.get(c);
      if (out == null) {
        continue;
      }
      for (String n : new TreeSet<>(out.keySet())) {
        if (!via.containsKey(n)) {
          via.put(n, out.get(n));
          queue.add(n);
        }
      }
    }
    return null;
  }

  private void cycle(Edge closing, List<Edge> back) {
    TreeSet<String> classes = new TreeSet<>();
    classes.add(closing.from());
    for (Edge e : back) {
      classes.add(e.from());
    }
    if (!cyclesReported.add(String.join(" ", classes))) {
      return;
    }
    StringBuilder summary = new StringBuilder("possible circular locking dependency: ");
    summary.append(closing.from()).append(" -> ").append(closing.to());
    for (Edge e : back) {
      summary.append(" -> ").append(e.to());
    }
    summary.append("; task ").append(closing.task().name()).append(" took ").append(closing.chain())
        .append(", task ").append(back.get(0).task().name()).append(" took ")
        .append(back.get(0).chain());
    // Each chain as its task's steps when it took the edge's second lock: the two
    // acquisitions in opposite orders are the conflict, the closing one the culprit.
    Edge other = back.get(0);
    String a = closing.task().name() + " (" + closing.from() + " -> " + closing.to() + ")";
    String b = other.task().name() + " (" + other.from() + " -> " + other.to() + ")";
    List<Touches.Target> cycleLocks = new ArrayList<>();
    for (String c : classes) {
      cycleLocks.add(Touches.lockClass(c));
    }
    Interleaving.Focus focus = new Interleaving.Focus(Touches.anyOf(cycleLocks))
        .lastStep(a, "takes " + closing.to() + " while holding " + closing.from())
        .lastStep(b, "takes " + other.to() + " while holding " + other.from())
        .culprit(a).victim(b);
    counts.merge(Violation.LOCK_ORDER, 1L, Long::sum);
    if (showing(Violation.LOCK_ORDER)) {
      needTrace("lock-order violation: " + summary);
      shown.add(new Violation(Violation.LOCK_ORDER, now(), summary.toString(),
          Interleaving.render(focus, List.of(
              new Interleaving.Column(a, closing.task().name(), closing.records()),
              new Interleaving.Column(b, other.task().name(), other.records())))));
    }
  }

  // ---- truncate and punch ---------------------------------------------------------------------

  /** A truncate or punch in progress. */
  private static final class Op {
    final Task task;
    final String kind;
    final AddressSpace mapping;
    final long start;
    final long end;
    final long startNs;
    /** A punch's hole at its start: index to the folio or swap entry there, ascending. */
    final Map<Long, Object> presentAtStart;
    boolean reportedSlow;

    Op(Task task, String kind, AddressSpace mapping, long start, long end, long startNs,
        Map<Long, Object> presentAtStart) {
      this.task = task;
      this.kind = kind;
      this.mapping = mapping;
      this.start = start;
      this.end = end;
      this.startNs = startNs;
      this.presentAtStart = presentAtStart;
    }

    boolean covers(AddressSpace m, long index) {
      return m == mapping && index >= start && index < end;
    }
  }

  /**
   * A truncate ({@code kind} "truncate") or punch ("punch_hole") of pages [{@code start},
   * {@code end}) of {@code mapping} begins.
   */
  public Object opStart(Task t, String kind, AddressSpace mapping, long start, long end) {
    Map<Long, Object> present = new LinkedHashMap<>();
    if (kind.equals("punch_hole")) {
      long[] idx = new long[64];
      long from = start;
      while (true) {
        int n = mapping.entryIndexes(from, end, idx, idx.length);
        for (int i = 0; i < n; i++) {
          Object e = mapping.entry(idx[i]);
          if (e instanceof Folio || (e instanceof AddressSpace.ValueEntry v && v.swap())) {
            present.put(idx[i], e);
          }
        }
        if (n < idx.length) {
          break;
        }
        from = idx[n - 1] + 1;
      }
    }
    note(t, kind + " of " + mapping.name() + " pages [" + start + ", " + end + ") starts");
    Op op = new Op(t, kind, mapping, start, end, now(), present);
    faultsim.machine.Speculation.write(machine.speculation(), inFlightMark);
    lastOpTask.put(mapping, t);
    inFlight.add(op);
    return op;
  }

  /** The operation {@code token} (from {@link #opStart}) has finished: check its range. */
  public void opEnd(Object token) {
    Op op = (Op) token;
    faultsim.machine.Speculation.write(machine.speculation(), inFlightMark);
    inFlight.remove(op);
    note(op.task, op.kind + " of " + op.mapping.name() + " ends");
    long took = now() - op.startNs;
    if (took > noProgressNs && !op.reportedSlow) {
      report(Violation.NO_PROGRESS, String.format(Locale.ROOT,
          "task %s: %s of %s pages [%d, %d) took %s (bound %s)", op.task.name(), op.kind,
          op.mapping.name(), op.start, op.end, Timeline.formatTime(took),
          Timeline.formatTime(noProgressNs)), noProgress(op));
    }
    AddressSpace m = op.mapping;
    if (op.kind.equals("punch_hole")) {
      // The same folio, or the same swap entry (identity: a page swapped out again is a new
      // entry), still there: what the punch found was not removed.
      for (Map.Entry<Long, Object> e : op.presentAtStart.entrySet()) {
        if (m.entry(e.getKey()) == e.getValue()) {
          report(Violation.PUNCH_GUARANTEE, String.format(Locale.ROOT,
              "task %s: %s index %d was in the hole (%s) when the punch started and is still"
                  + " there when it ended", op.task.name(), m.name(), e.getKey(),
              e.getValue() instanceof Folio ? "a folio" : "a swap entry"),
              new Interleaving.Focus(Touches.index(m, e.getKey())).culprit(op.task.name())
                  .culpritDid("left index " + e.getKey() + " in the hole"));
        }
      }
    }
    // Page cache in the range.
    long[] idx = new long[64];
    long from = op.start;
    while (true) {
      int n = m.entryIndexes(from, op.end, idx, idx.length);
      for (int i = 0; i < n; i++) {
        Folio f = m.folio(idx[i]);
        if (f == null) {
          continue;
        }
        if (op.kind.equals("punch_hole") && op.presentAtStart.get(f.index()) != f) {
          punchRecreated++;
        }
        if (op.kind.equals("truncate") && f.index() >= m.sizePages()) {
          // truncate_inode_pages_range must leave no folio at or past the new EOF: one still
          // there is a page of a file that no longer has it (tmpfs's truncate included), stale
          // or not.
          report(Violation.BEYOND_EOF, String.format(Locale.ROOT,
              "%s index %d: the page cache still holds a folio at or past i_size (%d pages)"
                  + " after task %s's truncate finished", m.name(), f.index(), m.sizePages(),
              op.task.name()), onOp(op, Touches.index(m, f.index())));
        } else if (f.hasData() && f.generation() < m.dataGeneration(f.index())) {
          report(Violation.STALE_DATA, String.format(Locale.ROOT,
              "%s index %d: the page cache holds data read before the blocks were freed by"
                  + " task %s's %s", m.name(), f.index(), op.task.name(), op.kind),
              onOp(op, Touches.index(m, f.index())));
        }
      }
      if (n < idx.length) {
        break;
      }
      from = idx[n - 1] + 1;
    }
    checkPtes(op, m);
  }

  private void checkPtes(Op op, AddressSpace m) {
    boolean truncate = op.kind.equals("truncate");
    for (Vma v : m.iMmap()) {
      long first = Math.max(op.start, v.pgoff());
      long last = Math.min(op.end, v.pgoff() + (v.end() - v.start()) / Kernel.PAGE_SIZE);
      MmStruct mm = v.mm();
      long i = first;
      while (i < last) {
        long addr = v.address(i);
        if (mm.pteTable(addr) == null) {
          long nextTable = (addr / Kernel.PMD_SIZE + 1) * Kernel.PMD_SIZE;
          i += (nextTable - addr) / Kernel.PAGE_SIZE;
          continue;
        }
        Folio f = mm.pte(addr);
        if (f != null) {
          String problem = problem(v, i, f, truncate);
          if (problem != null) {
            report(kindOf(problem), String.format(Locale.ROOT,
                "%s of %s maps index %d to %s after task %s's %s finished", mm.name(), m.name(),
                i, problem, op.task.name(), op.kind), pteFocus(onOp(op, Touches.anyOf(
                    List.of(Touches.pte(mm, addr), Touches.index(m, i)))), problem));
          }
        }
        i++;
      }
    }
  }

  private static final String GONE = "a folio no longer in the page cache";
  private static final String OLD = "data read before its blocks were freed";
  private static final String PAST_EOF = "a page at or past i_size";

  private static String kindOf(String problem) {
    return problem.startsWith(PAST_EOF) ? Violation.BEYOND_EOF : Violation.STALE_DATA;
  }

  /**
   * What is wrong with {@code v} mapping file index {@code index} to {@code f}, or null. A
   * private mapping's COW copy (an anonymous folio) is not the file's page: only its position
   * past EOF matters, and only after a truncate (a punch keeps private copies).
   */
  private static String problem(Vma v, long index, Folio f, boolean eofMatters) {
    AddressSpace m = v.file();
    boolean cowCopy = f.mapping() == null && !v.shared() && f.isAnon();
    if (eofMatters && index >= m.sizePages()) {
      // Past the new EOF the truncate had to unmap the page whatever it maps now (a folio it
      // removed from the page cache, or a private copy): the violation is the PTE past EOF.
      return PAST_EOF + " (" + m.sizePages() + " pages)" + (cowCopy ? ", a private COW copy"
          + " in the VMA at " + Long.toHexString(v.start()) + "-" + Long.toHexString(v.end())
          : f.mapping() != m ? ", a folio no longer in the page cache" : "");
    }
    if (!cowCopy && f.mapping() != m) {
      return GONE;
    }
    if (!cowCopy && f.generation() < m.dataGeneration(index)) {
      return OLD;
    }
    return null;
  }

  /**
   * A PTE was just set by {@code t} at {@code index} of {@code v}'s file to {@code f}. Unless a
   * truncate or punch covering the page is in flight (its end checks the range), it must map
   * current data inside the file.
   */
  public void mapped(Task t, Vma v, long index, Folio f) {
    if (v.anonymous()) {
      return;
    }
    faultsim.machine.Speculation.read(machine.speculation(), inFlightMark);
    // Indexed, not an iterator: this runs for every PTE set.
    for (int i = 0, n = inFlight.size(); i < n; i++) {
      if (inFlight.get(i).covers(v.file(), index)) {
        return;
      }
    }
    String problem = problem(v, index, f, true);
    if (problem != null) {
      faultsim.machine.Speculation.catchUpAhead(machine.speculation());
      // The mapper is the victim; the culprit is whoever last changed the page under it (the
      // truncate or punch that removed it or freed its blocks), among every task's steps.
      Task op = lastOpTask.get(v.file());
      report(kindOf(problem), String.format(Locale.ROOT,
          "task %s mapped %s index %d to %s, with no truncate or punch in flight", t.name(),
          v.file().name(), index, problem), pteFocus(new Interleaving.Focus(Touches.anyOf(
              List.of(Touches.index(v.file(), index), Touches.pte(v.mm(), v.address(index)))))
              .victim(t.name()).show(op == null ? null : op.name()), problem));
    }
  }

  private final Map<AddressSpace, Task> lastOpTask = new IdentityHashMap<>();
  /** Speculation marks of the truncates and punches in flight ({@code inFlight}). */
  private final faultsim.machine.Marked inFlightMark = new faultsim.machine.Marked() {
    @Override
    public String toString() {
      return "the truncates and punches in flight";
    }
  };

  /**
   * A PTE that maps a page the operation removed (or one past EOF): what conflicts is the
   * operation's change that came last before the PTE was set; stale data in a page still in the
   * file conflicts with the blocks freed after it was read.
   */
  private static Interleaving.Focus pteFocus(Interleaving.Focus focus, String problem) {
    return problem.equals(OLD) ? focus : focus.changeBeforeUse();
  }

  /**
   * A violation left behind by {@code op} on {@code target}: the operation's task is the
   * culprit; the task that used what it changed is found from the steps.
   */
  private static Interleaving.Focus onOp(Op op, Touches.Target target) {
    return new Interleaving.Focus(target).culprit(op.task.name());
  }

  /**
   * An operation that did not finish: the pages of its range, its task the victim, the culprit
   * the task that last used a page there (re-created or mapped what it removes).
   */
  private static Interleaving.Focus noProgress(Op op) {
    return new Interleaving.Focus(Touches.pages(op.mapping, op.start, op.end))
        .victim(op.task.name()).culpritBy(Touches.Role.USE);
  }

  // ---- VMA changes under faults (VmaChecks) ---------------------------------------------------

  /** A fault of {@code t} begins. */
  public void faultStarts(Task t) {
    vmaChecks.faultStarts(t);
  }

  /** The fault of {@code t} sets up its {@code vm_fault} on {@code v} ({@code vmf_init}). */
  public void faultUses(Task t, Vma v) {
    vmaChecks.faultUses(t, v);
  }

  /** The fault of {@code t} returned; {@code error}: with SIGSEGV or SIGBUS. */
  public void faultEnds(Task t, boolean error) {
    vmaChecks.faultEnds(t, error);
  }

  /** {@code t} set a PTE at {@code address} of {@code v} (null: no VMA there any more). */
  public void ptePlaced(Task t, Vma v, long address, boolean write) {
    if (v != null) {
      vmaChecks.ptePlaced(t, v, v.mm(), address, write);
    }
  }

  /** {@code t} made the PTE at {@code address} of {@code mm} writable. */
  public void pteMadeWritable(Task t, MmStruct mm, long address) {
    vmaChecks.ptePlaced(t, mm.findVma(address), mm, address, true);
  }

  /** {@code v} left the tree by {@code t}'s merge into its neighbour. */
  public void vmaDetached(Task t, Vma v) {
    vmaChecks.vmaDetached(t, v);
  }

  /** {@code remove_vma(v)} by {@code t}. */
  public void vmaRemoved(Task t, Vma v) {
    vmaChecks.vmaRemoved(t, v);
  }

  /** A munmap of [{@code start}, {@code end}) of {@code mm} by {@code t} returned. */
  public void munmapEnds(Task t, MmStruct mm, long start, long end, String what) {
    vmaChecks.munmapEnds(t, mm, start, end, what);
  }

  /**
   * An mremap of the VMA at {@code addr} from {@code oldLen} to {@code newLen} bytes begins:
   * its task is the one a PTE left beyond the VMA's new end is laid to.
   */
  public void mremapStarts(Task t, long addr, long oldLen, long newLen) {
    note(t, String.format(Locale.ROOT, "mremap of [%x, %x) to %d bytes starts", addr,
        addr + oldLen, newLen));
    vmaChecks.vmaOpStarts(t);
  }

  /** An mprotect of [{@code start}, {@code end}) of {@code mm} begins; a token for its end. */
  public Object mprotectStarts(Task t, MmStruct mm, long start, long end) {
    note(t, String.format(Locale.ROOT, "mprotect of [%x, %x) starts", start, end));
    return vmaChecks.mprotectStarts(t, mm, start, end, now());
  }

  /** The mprotect {@code token} returned: its range's PTEs must agree with their VMA. */
  public void mprotectEnds(Object token) {
    vmaChecks.mprotectEnds(token);
  }

  // ---- retries --------------------------------------------------------------------------------

  /**
   * The fault of {@code t} at {@code address} finished after {@code retries} retries: as
   * {@link #retries}, naming the fault only when it is reported.
   */
  public void faultRetries(Task t, long address, long retries) {
    if (retries > maxRetries) {
      retries(t, "fault at " + Long.toHexString(address), retries);
    }
  }

  /** One operation of {@code t}, {@code what}, finished after {@code retries} retries. */
  public void retries(Task t, String what, long retries) {
    if (retries > maxRetries) {
      report(Violation.NO_PROGRESS, String.format(Locale.ROOT,
          "task %s: %s retried %d times (bound %d)", t.name(), what, retries, maxRetries),
          new Interleaving.Focus(r -> null).show(t.name()));
    }
  }

  /** The run ends: operations still running past the bound made no progress. */
  public void finish() {
    for (Op op : inFlight) {
      long took = now() - op.startNs;
      if (took > noProgressNs) {
        op.reportedSlow = true;
        report(Violation.NO_PROGRESS, String.format(Locale.ROOT,
            "task %s: %s of %s pages [%d, %d) still running after %s (bound %s)",
            op.task.name(), op.kind, op.mapping.name(), op.start, op.end,
            Timeline.formatTime(took), Timeline.formatTime(noProgressNs)), noProgress(op));
      }
    }
  }
}
