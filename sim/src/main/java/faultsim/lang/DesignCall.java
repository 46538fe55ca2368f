package faultsim.lang;

import faultsim.locks.WaitQueue;
import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One task's interpreter for design functions: {@link #start} a call, then {@link #step} it each
 * time the task is on its core and ready, until {@link #finished()}. A step runs instructions
 * until a primitive suspends the task (it took time, or waits for a lock, I/O or a wake-up) or
 * the called function returns; the next step goes on at the following instruction, even in the
 * middle of an expression such as {@code if (down_read_trylock(l) && x)}. All state is in
 * arrays here: a task is never a Java thread.
 *
 * <p>Values: integer and boolean values live in {@code long} slots (booleans as 0/1) and
 * references in parallel {@code Object} slots, chosen statically by the checker, so arithmetic
 * and comparisons never box. Values cross the API as {@link Long}, {@link Boolean} and host
 * objects. A primitive call is made the way its call site chose when the design was loaded: an
 * {@link Args} view over the arguments on the operand stack (nothing boxes), or, for a primitive
 * defined with an {@code Object[]} impl, the task's reused array of that length. The trace gets
 * the same view, and the run's answer to whether it records that primitive is asked once.
 *
 * <pre>{@code
 * // a driver Program: think, call, measure
 * public void step(Task t) {
 *   if (!call.running()) { call.start(fault, vmf); startNs = now; }
 *   call.step(t);
 *   if (call.finished()) { record(now - startNs); t.cpu(think); }
 * }
 * }</pre>
 */
public final class DesignCall {
  /**
   * Backward jumps (design loop iterations) one step may take without simulated time passing
   * before it faults. Only backward jumps are counted, not every instruction: a counter
   * decremented on every turn of the dispatch loop makes it a counted loop to C2, whose loop
   * predicates then fail on this loop's data-dependent control flow and throw the method out of
   * compiled code again and again.
   */
  public static final long LOOP_LIMIT = 1_000_000;
  /** Deepest design call nesting before a fault (runaway recursion). */
  public static final int MAX_DEPTH = 1_000;

  private static final int NO_PENDING = 0;
  private static final int PENDING_INT = 1;
  private static final int PENDING_BOOL = 2;

  private final RunEnv env;
  private long[] lv = new long[64];
  private Object[] rv = new Object[64];
  private FunctionCode[] frames = new FunctionCode[16];
  private int[] framePc = new int[16];
  private int[] frameBp = new int[16];
  private int depth;

  private FunctionCode fn;
  private int pc;
  private int bp;
  private int sp;
  private int pending;
  private boolean running;
  private boolean finished;
  private boolean enterTrace;
  /** The primitive being run, or that suspended the task (time profiles name it). */
  private String primitive;
  /** Changes whenever the call stack does: a time profile's node for it is kept until then. */
  private int stackVersion;
  private int nodeVersion = -1;
  private faultsim.machine.TimeProfile.Node nodeRoot;
  private faultsim.machine.TimeProfile.Node nodeFunction;
  private String nodePrimitive;
  private faultsim.machine.TimeProfile.Node nodeLeaf;
  private Object returnValue;
  /** Primitive calls this task has made while a perturbation was set (the points' ordinals). */
  private long primitiveCalls;
  /** True when the primitive at {@link #pc} has had its delay and is to run now. */
  private boolean delayed;

  /** The view of a primitive call's arguments, reused from call to call. */
  private final Args args = new Args();
  /** Arrays of each length for primitives that take their arguments boxed, reused likewise. */
  private Object[][] boxes = new Object[8][];
  /** Calls every primitive through the boxed path, asking the trace at every call. */
  private final boolean reference;

  public DesignCall(RunEnv env) {
    this.env = env;
    this.reference = env.referencePath();
  }

  /**
   * Starts a call of {@code function} (replacing any finished one).
   *
   * @param args one per parameter: a {@link Number} for int, a {@link Boolean} for bool, a
   *     {@link faultsim.engine.Dist} for dist, a host object (or null) for host types
   * @throws IllegalStateException if a call is still running
   * @throws IllegalArgumentException if the arguments do not match the parameters
   */
  public void start(FunctionHandle function, Object... args) {
    FunctionCode f = prepare(function, args.length);
    for (int i = 0; i < args.length; i++) {
      Type t = f.paramTypes.get(i);
      Object a = args[i];
      switch (t.kind()) {
        case INT -> {
          if (!(a instanceof Number n)) {
            throw badArg(function, i, a);
          }
          lv[i] = n.longValue();
        }
        case BOOL -> {
          if (!(a instanceof Boolean b)) {
            throw badArg(function, i, a);
          }
          lv[i] = b ? 1 : 0;
        }
        default -> {
          if (a != null && !t.javaClass().isInstance(a)) {
            throw badArg(function, i, a);
          }
          rv[i] = a;
        }
      }
    }
    begin(f);
  }

  /**
   * As {@link #start(FunctionHandle, Object...)} for a function of a host object and two ints
   * (a fault's {@code mm, address, flags}): the ints are not boxed.
   */
  public void start(FunctionHandle function, Object a0, long a1, long a2) {
    List<Type> params = function.code().paramTypes;
    if (params.size() != 3 || params.get(0).kind() == Type.Kind.INT
        || params.get(0).kind() == Type.Kind.BOOL || params.get(1).kind() != Type.Kind.INT
        || params.get(2).kind() != Type.Kind.INT) {
      start(function, a0, (Object) a1, (Object) a2);
      return;
    }
    FunctionCode f = prepare(function, 3);
    if (a0 != null && !params.get(0).javaClass().isInstance(a0)) {
      throw badArg(function, 0, a0);
    }
    rv[0] = a0;
    lv[1] = a1;
    lv[2] = a2;
    begin(f);
  }

  /** Checks a call of {@code function} with {@code n} arguments may start; resets the stack. */
  private FunctionCode prepare(FunctionHandle function, int n) {
    if (running) {
      throw new IllegalStateException("a call of " + fn.name + " is still running");
    }
    FunctionCode f = function.code();
    if (n != f.paramTypes.size()) {
      throw new IllegalArgumentException(function.signature() + " takes "
          + f.paramTypes.size() + " arguments, given " + n);
    }
    depth = 0;
    bp = 0;
    sp = 0;
    ensure(f.locals + f.maxStack);
    return f;
  }

  /** Runs {@code f} from its first instruction, its arguments in place. */
  private void begin(FunctionCode f) {
    fn = f;
    pc = 0;
    sp = f.locals;
    pending = NO_PENDING;
    running = true;
    finished = false;
    returnValue = null;
    enterTrace = true;
    primitive = null;
    stackVersion++;
  }

  private static IllegalArgumentException badArg(FunctionHandle f, int i, Object a) {
    return new IllegalArgumentException("argument " + (i + 1) + " of " + f.signature()
        + " must be a " + f.paramTypes().get(i).declaration() + ", given "
        + (a == null ? "null" : a.getClass().getSimpleName()));
  }

  /** True between {@link #start} and the return of the called function. */
  public boolean running() {
    return running;
  }

  /** True once the called function has returned. */
  public boolean finished() {
    return finished;
  }

  /** What the called function returned: Long, Boolean, a host object, or null (void). */
  public Object returnValue() {
    if (!finished) {
      throw new IllegalStateException("the call has not finished");
    }
    return returnValue;
  }

  /**
   * The innermost frame as {@code function+offset (file:line)}: where a primitive being run was
   * called; empty when no call is running.
   */
  public String site() {
    return running ? fn.siteAt(pc > 0 ? pc - 1 : 0) : "";
  }

  /**
   * The design call stack now, innermost first: {@code function (file:line)} with the line of
   * the statement each frame is at.
   */
  public List<String> callStack() {
    List<String> stack = new ArrayList<>();
    if (!running) {
      return stack;
    }
    stack.add(fn.frameAt(pc > 0 ? pc - 1 : 0));
    for (int d = depth - 1; d >= 0; d--) {
      stack.add(frames[d].frameAt(framePc[d] - 1));
    }
    return stack;
  }

  /**
   * The node of a time profile for where the call is: under {@code root}, each design function
   * of the call stack (outermost first), then the primitive the task is suspended in (none for
   * {@code cpu}: that is the function's own work); {@code root} when no call is running.
   */
  public faultsim.machine.TimeProfile.Node descend(faultsim.machine.TimeProfile.Node root) {
    if (!running) {
      return root;
    }
    // Charges come at every change of a task's state, mostly several in one function: the node
    // of the stack is looked up again only after a call or a return.
    faultsim.machine.TimeProfile.Node n = nodeFunction;
    if (root != nodeRoot || stackVersion != nodeVersion) {
      n = root;
      for (int d = 0; d < depth; d++) {
        n = n.child(frames[d].name);
      }
      n = n.child(fn.name);
      nodeRoot = root;
      nodeVersion = stackVersion;
      nodeFunction = n;
      nodePrimitive = null;
    }
    String p = primitive;
    if (p == null || p.equals("cpu")) {
      return n;
    }
    if (p != nodePrimitive) {
      nodeLeaf = n.child(p);
      nodePrimitive = p;
    }
    return nodeLeaf;
  }

  /**
   * Runs the call for {@code t} until the task is suspended by a primitive or the function
   * returns.
   *
   * @throws DesignFault on a fault in the design program
   * @throws IllegalStateException if no call is running or the task is not running
   */
  public void step(Task t) {
    if (!running) {
      throw new IllegalStateException("no design call is running");
    }
    DesignTrace trace = env.trace();
    if (enterTrace) {
      enterTrace = false;
      if (trace != null) {
        trace.enter(t, fn.name, fn.location);
      }
    }
    if (pending != NO_PENDING) {
      long r = t.result();
      lv[sp++] = pending == PENDING_BOOL ? (r != 0 ? 1 : 0) : r;
      pending = NO_PENDING;
    }
    run(t, trace);
  }

  private void run(Task t, DesignTrace trace) {
    FunctionCode f = fn;
    int[] code = f.code;
    Object[] k = f.constants;
    long[] lv = this.lv;
    Object[] rv = this.rv;
    int pc = this.pc;
    int sp = this.sp;
    int bp = this.bp;
    int at = pc;
    long budget = LOOP_LIMIT;
    try {
      while (true) {
        at = pc;
        switch (code[pc++]) {
          case Op.ICONST -> lv[sp++] = code[pc++];
          case Op.LCONST -> lv[sp++] = (Long) k[code[pc++]];
          case Op.ACONST -> rv[sp++] = k[code[pc++]];
          case Op.ANULL -> rv[sp++] = null;
          case Op.LLOAD -> lv[sp++] = lv[bp + code[pc++]];
          case Op.LSTORE -> lv[bp + code[pc++]] = lv[--sp];
          case Op.ALOAD -> rv[sp++] = rv[bp + code[pc++]];
          case Op.ASTORE -> {
            rv[bp + code[pc++]] = rv[--sp];
            rv[sp] = null;
          }
          case Op.ADD -> {
            sp--;
            lv[sp - 1] += lv[sp];
          }
          case Op.SUB -> {
            sp--;
            lv[sp - 1] -= lv[sp];
          }
          case Op.MUL -> {
            sp--;
            lv[sp - 1] *= lv[sp];
          }
          case Op.DIV, Op.REM -> {
            sp--;
            if (lv[sp] == 0) {
              this.pc = pc;
              throw fault(t, f, at, "division by zero", null);
            }
            lv[sp - 1] = code[at] == Op.DIV ? lv[sp - 1] / lv[sp] : lv[sp - 1] % lv[sp];
          }
          case Op.SHL -> {
            sp--;
            lv[sp - 1] <<= lv[sp];
          }
          case Op.SHR -> {
            sp--;
            lv[sp - 1] >>= lv[sp];
          }
          case Op.AND -> {
            sp--;
            lv[sp - 1] &= lv[sp];
          }
          case Op.OR -> {
            sp--;
            lv[sp - 1] |= lv[sp];
          }
          case Op.XOR -> {
            sp--;
            lv[sp - 1] ^= lv[sp];
          }
          case Op.NEG -> lv[sp - 1] = -lv[sp - 1];
          case Op.BNOT -> lv[sp - 1] = ~lv[sp - 1];
          case Op.LNOT -> lv[sp - 1] = lv[sp - 1] == 0 ? 1 : 0;
          case Op.EQ -> {
            sp--;
            lv[sp - 1] = lv[sp - 1] == lv[sp] ? 1 : 0;
          }
          case Op.NE -> {
            sp--;
            lv[sp - 1] = lv[sp - 1] != lv[sp] ? 1 : 0;
          }
          case Op.LT -> {
            sp--;
            lv[sp - 1] = lv[sp - 1] < lv[sp] ? 1 : 0;
          }
          case Op.LE -> {
            sp--;
            lv[sp - 1] = lv[sp - 1] <= lv[sp] ? 1 : 0;
          }
          case Op.GT -> {
            sp--;
            lv[sp - 1] = lv[sp - 1] > lv[sp] ? 1 : 0;
          }
          case Op.GE -> {
            sp--;
            lv[sp - 1] = lv[sp - 1] >= lv[sp] ? 1 : 0;
          }
          case Op.AEQ, Op.ANE -> {
            sp--;
            boolean same = rv[sp - 1] == rv[sp];
            rv[sp - 1] = null;
            rv[sp] = null;
            lv[sp - 1] = same == (code[at] == Op.AEQ) ? 1 : 0;
          }
          case Op.JMP, Op.JZ, Op.JNZ -> {
            int op = code[at];
            boolean jump = op == Op.JMP || (lv[--sp] == 0) == (op == Op.JZ);
            if (!jump) {
              pc++;
            } else {
              int target = code[pc];
              if (target <= at && --budget < 0) {
                this.pc = pc;
                throw fault(t, f, at, "ran " + LOOP_LIMIT + " loop iterations without simulated"
                    + " time passing (a loop that never calls a primitive that takes time?)",
                    null);
              }
              pc = target;
            }
          }
          case Op.POP -> sp--;
          case Op.APOP -> rv[--sp] = null;
          case Op.CALL -> {
            FunctionCode callee = (FunctionCode) k[code[pc++]];
            if (depth == MAX_DEPTH) {
              this.pc = pc;
              throw fault(t, f, at, "design calls nested " + MAX_DEPTH + " deep (runaway"
                  + " recursion?)", null);
            }
            pushFrame(f, pc, bp);
            stackVersion++;
            bp = sp - callee.paramTypes.size();
            sp = bp + callee.locals;
            ensure(sp + callee.maxStack);
            lv = this.lv;
            rv = this.rv;
            f = callee;
            code = f.code;
            k = f.constants;
            pc = 0;
            if (trace != null) {
              trace.enter(t, f.name, f.location);
            }
          }
          case Op.RET, Op.LRET, Op.ARET -> {
            int op = code[at];
            long lret = op == Op.LRET ? lv[sp - 1] : 0;
            Object aret = op == Op.ARET ? rv[sp - 1] : null;
            for (int s : f.refLocals) {
              rv[bp + s] = null;
            }
            for (int s = bp + f.locals; s < sp; s++) {
              rv[s] = null;
            }
            if (trace != null) {
              trace.exit(t, f.name, reference || trace.recordsReturnValues()
                  ? box(f.returnType, lret, aret) : null);
            }
            if (depth == 0) {
              returnValue = box(f.returnType, lret, aret);
              running = false;
              finished = true;
              this.sp = 0;
              return;
            }
            sp = bp;
            depth--;
            stackVersion++;
            f = frames[depth];
            frames[depth] = null;
            pc = framePc[depth];
            bp = frameBp[depth];
            code = f.code;
            k = f.constants;
            if (op == Op.LRET) {
              lv[sp++] = lret;
            } else if (op == Op.ARET) {
              rv[sp++] = aret;
            }
          }
          case Op.NORET -> {
            this.pc = pc;
            throw fault(t, f, at, "'" + f.name + "' reached its end without returning a "
                + f.returnType.declaration(), null);
          }
          case Op.PRIM -> {
            PrimSite site = (PrimSite) k[code[pc++]];
            Perturbation perturbation = env.perturbation();
            if (perturbation != null) {
              if (delayed) {
                delayed = false;
              } else {
                long d = perturbation.observesArguments()
                    ? perturbation.delayNs(t, ++primitiveCalls, site.primitive,
                        peekArguments(site.argKinds, lv, rv, sp))
                    : perturbation.delayNs(t, ++primitiveCalls, site.primitive.name());
                if (d > 0) {
                  // Spend the delay on the CPU, then come back to this instruction and call the
                  // primitive (without asking again). The interleaving shows it as a step.
                  if (trace != null) {
                    trace.primitive(t, "perturbation_delay", new Object[] {d}, site.location);
                  }
                  this.fn = f;
                  this.pc = at;
                  this.sp = sp;
                  this.bp = bp;
                  delayed = true;
                  t.cpu(d);
                  if (t.state() != Task.State.RUNNING) {
                    return;
                  }
                  delayed = false;
                }
              }
            }
            byte[] kinds = site.argKinds;
            int n = kinds.length;
            sp -= n;
            this.fn = f;
            this.pc = pc;
            this.sp = sp;
            this.bp = bp;
            primitive = site.name;
            Args view = this.args;
            view.set(kinds, lv, rv, sp);
            Object[] boxed = null;
            if (reference) {
              boxed = view.toArray();
              if (trace != null && trace.records(site.name)) {
                trace.primitive(t, site.primitive, boxed.clone(), site.location);
              }
            } else if (trace != null && env.traces(site.primitive)) {
              trace.primitive(t, site.primitive, view, site.location);
            }
            Object result = null;
            long value = 0;
            try {
              if (reference) {
                result = site.impl.call(env, t, boxed);
              } else {
                switch (site.mode) {
                  case PrimSite.LONG -> value = site.longImpl.call(env, t, view);
                  case PrimSite.SLOTS -> result = site.slotImpl.call(env, t, view);
                  default -> result = site.impl.call(env, t, view.boxInto(boxes(n)));
                }
              }
            } catch (DesignFault e) {
              throw e;
            } catch (RuntimeException e) {
              throw fault(t, f, at, site.name + ": " + message(e), e);
            }
            for (int i = 0; i < n; i++) {
              rv[sp + i] = null;
            }
            if (site.mode == PrimSite.LONG && !reference) {
              lv[sp++] = site.returnKind == PrimSite.BOOL ? (value != 0 ? 1 : 0) : value;
            } else if (!site.returnsVoid) {
              if (result == Primitive.RESULT) {
                if (site.returnKind == PrimSite.REF) {
                  throw fault(t, f, at, site.primitive.name() + " returned RESULT, but the"
                      + " result register holds an int, not a " + site.primitive.returns(), null);
                }
                if (t.state() != Task.State.RUNNING) {
                  pending = site.returnKind == PrimSite.BOOL ? PENDING_BOOL : PENDING_INT;
                  return;
                }
                long r = t.result();
                lv[sp++] = site.returnKind == PrimSite.BOOL ? (r != 0 ? 1 : 0) : r;
              } else {
                sp = push(t, f, at, sp, site.returnKind, result, site.primitive.name());
              }
            }
            if (t.state() != Task.State.RUNNING) {
              this.sp = sp;
              return;
            }
          }
          case Op.GETF -> {
            FieldAccess field = (FieldAccess) k[code[pc++]];
            Object o = rv[--sp];
            rv[sp] = null;
            if (o == null) {
              this.pc = pc;
              throw fault(t, f, at, "NULL dereference: reading ->" + field.name() + " of a NULL "
                  + field.owner().declaration(), null);
            }
            Object v = null;
            boolean readsLong = field.readsLong();
            try {
              if (readsLong) {
                lv[sp] = field.readLong(o, env);
              } else {
                v = field.read(o, env);
              }
            } catch (RuntimeException e) {
              this.pc = pc;
              throw fault(t, f, at, "reading ->" + field.name() + ": " + message(e), e);
            }
            if (readsLong) {
              sp++;
            } else {
              sp = push(t, f, at, sp, PrimSite.kindOf(field.type()), v, field.name());
            }
          }
          case Op.PUTF -> {
            FieldAccess field = (FieldAccess) k[code[pc++]];
            sp--;
            Object v = popped(field.type(), lv, rv, sp);
            Object o = rv[--sp];
            rv[sp] = null;
            if (o == null) {
              this.pc = pc;
              throw fault(t, f, at, "NULL dereference: assigning ->" + field.name() + " of a NULL "
                  + field.owner().declaration(), null);
            }
            try {
              field.write(o, v);
            } catch (RuntimeException e) {
              this.pc = pc;
              throw fault(t, f, at, "assigning ->" + field.name() + ": " + message(e), e);
            }
          }
          case Op.GLOBAL -> {
            HostGlobal g = (HostGlobal) k[code[pc++]];
            Object v;
            try {
              v = env.global(g);
            } catch (RuntimeException e) {
              this.pc = pc;
              throw fault(t, f, at, "reading " + g.name() + ": " + message(e), e);
            }
            sp = push(t, f, at, sp, PrimSite.kindOf(g.type()), v, g.name());
          }
          case Op.DGLOBAL -> {
            DeclaredVar g = (DeclaredVar) k[code[pc++]];
            Object v;
            try {
              v = g.get(env.designGlobals(g.slot() + 1), env);
            } catch (RuntimeException e) {
              this.pc = pc;
              throw fault(t, f, at, "reading " + g.name() + ": " + message(e), e);
            }
            sp = push(t, f, at, sp, PrimSite.kindOf(g.type()), v, g.name());
          }
          case Op.DPUTG -> {
            DeclaredVar g = (DeclaredVar) k[code[pc++]];
            sp--;
            env.designGlobals(g.slot() + 1)[g.slot()] = popped(g.type(), lv, rv, sp);
          }
          case Op.NEXT -> {
            Cursor c = (Cursor) rv[bp + code[pc]];
            byte kind = (byte) code[pc + 1];
            int end = code[pc + 2];
            pc += 3;
            if (c == null) {
              this.pc = pc;
              throw fault(t, f, at, "NULL dereference: iterating a NULL cursor", null);
            }
            this.fn = f;
            this.pc = pc;
            this.sp = sp;
            this.bp = bp;
            primitive = null;
            Object v;
            try {
              v = c.next(env, t);
            } catch (DesignFault e) {
              throw e;
            } catch (RuntimeException e) {
              throw fault(t, f, at, "advancing the cursor: " + message(e), e);
            }
            if (v == null) {
              pc = end;
            } else {
              sp = push(t, f, at, sp, kind, v, "cursor");
            }
            if (t.state() != Task.State.RUNNING) {
              this.pc = pc;
              this.sp = sp;
              return;
            }
          }
          case Op.WAITQ -> {
            String location = (String) k[code[pc++]];
            WaitQueue q = (WaitQueue) rv[--sp];
            rv[sp] = null;
            this.fn = f;
            this.pc = pc;
            this.sp = sp;
            this.bp = bp;
            primitive = "wait_event";
            if (q == null) {
              throw fault(t, f, at, "wait_event(NULL): argument 1 is NULL", null);
            }
            if (trace != null) {
              trace.primitive(t, "wait_event", new Object[] {q}, location);
            }
            try {
              q.waitEvent(t, new SleepOnce());
            } catch (RuntimeException e) {
              throw fault(t, f, at, "wait_event: " + message(e), e);
            }
            if (t.state() != Task.State.RUNNING) {
              return;
            }
          }
          default -> throw new IllegalStateException("bad opcode " + code[at] + " at " + at
              + " in " + f.name);
        }
      }
    } finally {
      if (running) {
        this.fn = f;
      }
    }
  }

  /**
   * The array of {@code n} elements this task passes boxed arguments in, overwritten at its next
   * call: primitives read their arguments during the call and keep no array.
   */
  private Object[] boxes(int n) {
    if (n >= boxes.length) {
      boxes = Arrays.copyOf(boxes, n + 1);
    }
    Object[] b = boxes[n];
    if (b == null) {
      b = new Object[n];
      boxes[n] = b;
    }
    return b;
  }

  /** The value at stack slot {@code sp} as an object of {@code type}; clears a reference. */
  private static Object popped(Type type, long[] lv, Object[] rv, int sp) {
    byte kind = PrimSite.kindOf(type);
    if (kind == PrimSite.INT) {
      return lv[sp];
    }
    if (kind == PrimSite.BOOL) {
      return lv[sp] != 0;
    }
    Object v = rv[sp];
    rv[sp] = null;
    return v;
  }

  /** Pushes a primitive's, field's or global's value into the slot its type says. */
  private int push(Task t, FunctionCode f, int at, int sp, byte kind, Object v,
      String what) {
    switch (kind) {
      case PrimSite.INT -> {
        if (!(v instanceof Number n)) {
          throw fault(t, f, at, what + " gave " + describe(v) + " where an int was expected", null);
        }
        lv[sp] = n.longValue();
      }
      case PrimSite.BOOL -> {
        if (!(v instanceof Boolean b)) {
          throw fault(t, f, at, what + " gave " + describe(v) + " where a bool was expected", null);
        }
        lv[sp] = b ? 1 : 0;
      }
      default -> rv[sp] = v;
    }
    return sp + 1;
  }

  private static String describe(Object v) {
    return v == null ? "null" : "a " + v.getClass().getSimpleName();
  }

  /**
   * The arguments of the primitive call whose {@code kinds.length} operands end at {@code sp},
   * boxed as the primitive will get them, leaving the stack as it is (for a perturbation).
   */
  private static Object[] peekArguments(byte[] kinds, long[] lv, Object[] rv, int sp) {
    Object[] args = new Object[kinds.length];
    int base = sp - kinds.length;
    for (int i = 0; i < kinds.length; i++) {
      args[i] = switch (kinds[i]) {
        case PrimSite.INT -> lv[base + i];
        case PrimSite.BOOL -> lv[base + i] != 0;
        default -> rv[base + i];
      };
    }
    return args;
  }

  private static Object box(Type t, long l, Object a) {
    return switch (t.kind()) {
      case INT -> l;
      case BOOL -> l != 0;
      case VOID -> null;
      default -> a;
    };
  }

  private static String message(RuntimeException e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private void pushFrame(FunctionCode f, int returnPc, int frameBase) {
    if (depth == frames.length) {
      frames = Arrays.copyOf(frames, depth * 2);
      framePc = Arrays.copyOf(framePc, depth * 2);
      frameBp = Arrays.copyOf(frameBp, depth * 2);
    }
    frames[depth] = f;
    framePc[depth] = returnPc;
    frameBp[depth] = frameBase;
    depth++;
  }

  private void ensure(int size) {
    if (size > lv.length) {
      int n = Math.max(size, lv.length * 2);
      lv = Arrays.copyOf(lv, n);
      rv = Arrays.copyOf(rv, n);
    }
  }

  /** A fault at instruction {@code at} of the current function; ends the call. */
  private DesignFault fault(Task t, FunctionCode f, int at, String what, Throwable cause) {
    List<String> stack = new ArrayList<>();
    stack.add(f.frameAt(at));
    for (int d = depth - 1; d >= 0; d--) {
      stack.add(frames[d].frameAt(framePc[d] - 1));
    }
    String detail = cause instanceof faultsim.machine.SimulationException ? what
        : "task " + t.name() + " at " + t.machine().engine().now() + " ns: " + what;
    running = false;
    return new DesignFault(f.locationAt(at), stack, detail, cause);
  }

  /**
   * The condition handed to {@link WaitQueue#waitEvent}: false when the task goes to sleep,
   * true when the queue re-checks it after a wake-up, so that the task runs again and the
   * design re-evaluates its own condition.
   */
  private static final class SleepOnce implements BooleanSupplier {
    private boolean asked;

    @Override
    public boolean getAsBoolean() {
      boolean wake = asked;
      asked = true;
      return wake;
    }
  }
}
