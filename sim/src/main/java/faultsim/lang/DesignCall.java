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
 * <p>A function compiled to bytecode ({@link CompiledFunction}) runs as such, on this object's
 * arrays and fields, from the point where it was entered or resumed until it suspends the task
 * or reaches a call or a return, which this loop performs; {@link RunEnv#setInterprets} makes
 * every function interpreted. Both run the instructions that touch more than the stack
 * ({@link #primitive}, {@link #getField}, {@link #next} ...) through the same methods.
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
  /** Whether functions compiled to bytecode run as such (else all are interpreted). */
  private final boolean compiles;
  /** Loop iterations left in this step, kept here while compiled code runs. */
  long budget;
  private long[] lv = new long[64];
  private Object[] rv = new Object[64];
  private FunctionCode[] frames = new FunctionCode[16];
  private int[] framePc = new int[16];
  private int[] frameBp = new int[16];
  private int depth;

  private FunctionCode fn;
  /** The next instruction, the frame's base and the operand stack pointer (when stored). */
  int pc;
  int bp;
  int sp;
  private int pending;
  private boolean running;
  private boolean finished;
  private boolean enterTrace;
  /** The primitive being run, or that suspended the task (time profiles name it). */
  private String primitive;
  /**
   * How a time profile finds {@link #primitive}'s node under the function's: by the primitive's
   * id ({@link PrimSite#leafId}), by its name ({@link PrimSite#BY_NAME}), or not at all, since
   * the time is the function's own ({@link PrimSite#NO_LEAF}).
   */
  private int leafId;
  /** Changes whenever the call stack does: a time profile's node for it is kept until then. */
  private int stackVersion;
  private int nodeVersion = -1;
  private faultsim.machine.TimeProfile.Node nodeRoot;
  private faultsim.machine.TimeProfile.Node nodeFunction;
  /** The number of levels of {@link #nodeFunction}'s path below the root. */
  private int nodeLevels;
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
    this.compiles = !env.interprets();
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
    // of the stack is looked up again only after a call or a return, and then only below the
    // levels whose function has the same name as before (a return looks up nothing, a call one
    // level). The levels kept are found from the last node up its parents, which every task of
    // the job shares, rather than from arrays of the task's own.
    faultsim.machine.TimeProfile.Node n = nodeFunction;
    if (root != nodeRoot || stackVersion != nodeVersion) {
      int levels = depth + 1;
      int same = 0;
      n = root;
      if (root == nodeRoot) {
        int most = Math.min(levels, nodeLevels);
        faultsim.machine.TimeProfile.Node x = nodeFunction;
        for (int d = nodeLevels - 1; d >= most; d--) {
          x = x.parent();
        }
        // x is the node of level most - 1; a level whose name differs ends the kept prefix.
        same = most;
        n = x;
        for (int d = most - 1; d >= 0; d--) {
          if (x.name() != levelName(d)) {
            same = d;
            n = x.parent();
          }
          x = x.parent();
        }
      }
      for (int d = same; d < levels; d++) {
        n = n.child(levelName(d));
      }
      nodeLevels = levels;
      nodeRoot = root;
      nodeVersion = stackVersion;
      nodeFunction = n;
      nodePrimitive = null;
    }
    String p = primitive;
    if (p == null) {
      return n;
    }
    if (p != nodePrimitive) {
      int id = leafId;
      nodeLeaf = id >= 0 ? n.leaf(id, p) : id == PrimSite.BY_NAME ? n.child(p) : n;
      nodePrimitive = p;
    }
    return nodeLeaf;
  }

  /**
   * The name of the function at level {@code d} of the stack: 0 the outermost, {@link #depth}
   * the running one.
   */
  private String levelName(int d) {
    return (d < depth ? frames[d] : fn).name;
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
        CompiledFunction compiled = f.compiled;
        if (compiled != null && compiles) {
          // The function's own bytecode runs until the task is suspended or it reaches an
          // instruction it leaves to this loop (a call or a return), with the state kept here.
          this.fn = f;
          this.bp = bp;
          this.budget = budget;
          int next = compiled.exec(this, t, trace, lv, rv, bp, pc);
          if (next < 0) {
            return;
          }
          pc = next;
          sp = this.sp;
          budget = this.budget;
        }
        dispatch:
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
                throw divisionFault(t, f, at);
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
                  throw loopFault(t, f, at);
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
              if (f.compiled != null && compiles) {
                break dispatch;
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
                // Back to the program's own code, which speculation does not cover.
                t.catchUp();
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
              if (f.compiled != null && compiles) {
                break dispatch;
              }
            }
            case Op.NORET -> {
              this.pc = pc;
              throw fault(t, f, at, "'" + f.name + "' reached its end without returning a "
                  + f.returnType.declaration(), null);
            }
            case Op.PRIM -> {
              PrimSite site = (PrimSite) k[code[pc++]];
              this.fn = f;
              this.bp = bp;
              sp = primitive(t, trace, site, at, sp);
              if (sp < 0) {
                return;
              }
            }
            case Op.GETF -> sp = getField(t, f, (FieldAccess) k[code[pc++]], at, sp);
            case Op.PUTF -> {
              putField(t, f, (FieldAccess) k[code[pc++]], at, sp);
              sp -= 2;
            }
            case Op.GLOBAL -> sp = global(t, f, (HostGlobal) k[code[pc++]], at, sp);
            case Op.DGLOBAL -> sp = designGlobal(t, f, (DeclaredVar) k[code[pc++]], at, sp);
            case Op.DPUTG -> {
              sp--;
              putDesignGlobal(t, (DeclaredVar) k[code[pc++]], sp);
            }
            case Op.NEXT -> {
              int end = code[pc + 2];
              int r = next(t, f, code[pc], (byte) code[pc + 1], end, at, sp, bp);
              if ((r & NEXT_END) == 0) {
                sp++;
                pc += 3;
              } else {
                pc = end;
              }
              if ((r & NEXT_SUSPENDED) != 0) {
                return;
              }
            }
            case Op.WAITQ -> {
              String location = (String) k[code[pc++]];
              sp--;
              if (waitQueue(t, trace, f, location, at, sp, bp)) {
                return;
              }
            }
            default -> throw new IllegalStateException("bad opcode " + code[at] + " at " + at
                + " in " + f.name);
          }
        }
      }
    } finally {
      if (running) {
        this.fn = f;
      }
    }
  }

  /*
   * The instructions below are shared by the interpreter's loop and the bytecode compiled from
   * designs (CompiledFunction): both keep a function's state in the same arrays and fields, so
   * either may run it from any point where the task can be suspended. The caller has set
   * fn and bp to the function being run.
   */

  /** {@link #next}'s answer bit: the cursor is at its end (nothing pushed). */
  static final int NEXT_END = 1;
  /** {@link #next}'s answer bit: the task is suspended (pc and sp are stored). */
  static final int NEXT_SUSPENDED = 2;

  /** Whether primitives may be called on the plain path: not the reference path, no hunt. */
  boolean plainPrimitives() {
    return !reference && env.perturbation() == null;
  }

  RunEnv env() {
    return env;
  }

  /**
   * PRIM at {@code at} with its arguments ending at {@code sp}: the perturbation's delay if one
   * is set, then the call. Returns the stack pointer after it, or -1 when the task is suspended
   * (pc, sp and any pending result stored).
   */
  int primitive(Task t, DesignTrace trace, PrimSite site, int at, int sp) {
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
          this.pc = at;
          this.sp = sp;
          delayed = true;
          t.cpu(d);
          if (t.state() != Task.State.RUNNING) {
            return -1;
          }
          delayed = false;
        }
      }
    }
    int n = site.argKinds.length;
    sp -= n;
    Args view = enterPrimitive(t, trace, site, at + 2, sp);
    Object[] boxed = null;
    if (reference) {
      boxed = view.toArray();
      if (trace != null && trace.records(site.name)) {
        trace.primitive(t, site.primitive, boxed.clone(), site.location);
      }
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
    } catch (RuntimeException e) {
      throw primitiveFault(t, at, site, e);
    }
    if (site.mode == PrimSite.LONG && !reference) {
      return afterLong(t, site, sp, value);
    }
    return afterPrimitive(t, site, at, sp, result);
  }

  /**
   * Before a primitive's call (its arguments from {@code sp} on): stores where the task is, for
   * call stacks and for resuming after the call, points the arguments' view at them and, on the
   * plain path, gives the call to the trace if it records the primitive.
   */
  Args enterPrimitive(Task t, DesignTrace trace, PrimSite site, int nextPc, int sp) {
    if (!site.primitive.batchable()) {
      t.catchUp();
    }
    this.pc = nextPc;
    this.sp = sp;
    primitive = site.name;
    leafId = site.leafId;
    Args view = this.args;
    view.set(site.argKinds, lv, rv, sp);
    if (trace != null && !reference && env.traces(site.primitive)) {
      trace.primitive(t, site.primitive, view, site.location);
    }
    return view;
  }

  /** The fault a primitive's exception becomes (a design fault passes through). */
  DesignFault primitiveFault(Task t, int at, PrimSite site, RuntimeException e) {
    if (e instanceof DesignFault f) {
      return f;
    }
    return fault(t, fn, at, site.name + ": " + message(e), e);
  }

  /** After a long impl's call: pushes its value; the stack pointer, or -1 when suspended. */
  int afterLong(Task t, PrimSite site, int sp, long value) {
    t.settleInline();
    clearArguments(site, sp);
    lv[sp++] = site.returnKind == PrimSite.BOOL ? (value != 0 ? 1 : 0) : value;
    if (t.state() != Task.State.RUNNING) {
      this.sp = sp;
      return -1;
    }
    return sp;
  }

  /**
   * After a slot or boxed impl's call: pushes its value (or, for {@link Primitive#RESULT}, the
   * task's result register, read now or when the task next runs); the stack pointer, or -1 when
   * suspended.
   */
  int afterPrimitive(Task t, PrimSite site, int at, int sp, Object result) {
    t.settleInline();
    clearArguments(site, sp);
    if (!site.returnsVoid) {
      if (result == Primitive.RESULT) {
        if (site.returnKind == PrimSite.REF) {
          throw fault(t, fn, at, site.primitive.name() + " returned RESULT, but the"
              + " result register holds an int, not a " + site.primitive.returns(), null);
        }
        if (t.state() != Task.State.RUNNING) {
          pending = site.returnKind == PrimSite.BOOL ? PENDING_BOOL : PENDING_INT;
          return -1;
        }
        long r = t.result();
        lv[sp++] = site.returnKind == PrimSite.BOOL ? (r != 0 ? 1 : 0) : r;
      } else {
        sp = push(t, fn, at, sp, site.returnKind, result, site.primitive.name());
      }
    }
    if (t.state() != Task.State.RUNNING) {
      this.sp = sp;
      return -1;
    }
    return sp;
  }

  private void clearArguments(PrimSite site, int sp) {
    Object[] rv = this.rv;
    for (int i = 0, n = site.argKinds.length; i < n; i++) {
      rv[sp + i] = null;
    }
  }

  /** GETF: replaces the reference at {@code sp - 1} by its field; the stack pointer after. */
  int getField(Task t, FunctionCode f, FieldAccess field, int at, int sp) {
    Object o = rv[--sp];
    rv[sp] = null;
    if (o == null) {
      throw nullField(t, f, at, field, "reading");
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
      throw fieldFault(t, f, at, field, "reading", e);
    }
    if (readsLong) {
      return sp + 1;
    }
    return push(t, f, at, sp, PrimSite.kindOf(field.type()), v, field.name());
  }

  /** The fault of a NULL dereference when {@code doing} ("reading", "assigning") a field. */
  DesignFault nullField(Task t, FunctionCode f, int at, FieldAccess field, String doing) {
    return fault(t, f, at, "NULL dereference: " + doing + " ->" + field.name() + " of a NULL "
        + field.owner().declaration(), null);
  }

  /** The fault a field's exception becomes. */
  DesignFault fieldFault(Task t, FunctionCode f, int at, FieldAccess field, String doing,
      RuntimeException e) {
    return fault(t, f, at, doing + " ->" + field.name() + ": " + message(e), e);
  }

  /** PUTF: pops a value (at {@code sp - 1}) and a reference, assigns the reference's field. */
  void putField(Task t, FunctionCode f, FieldAccess field, int at, int sp) {
    sp--;
    Object v = popped(field.type(), lv, rv, sp);
    Object o = rv[--sp];
    rv[sp] = null;
    if (o == null) {
      throw nullField(t, f, at, field, "assigning");
    }
    t.catchUp();
    faultsim.machine.Speculation.writeField(env.speculation(), o);
    try {
      field.write(o, v);
    } catch (RuntimeException e) {
      throw fieldFault(t, f, at, field, "assigning", e);
    }
  }

  /** GLOBAL: pushes the host global's value in this run; the stack pointer after. */
  int global(Task t, FunctionCode f, HostGlobal g, int at, int sp) {
    t.catchUp();
    Object v;
    try {
      v = env.global(g);
    } catch (RuntimeException e) {
      throw fault(t, f, at, "reading " + g.name() + ": " + message(e), e);
    }
    return push(t, f, at, sp, PrimSite.kindOf(g.type()), v, g.name());
  }

  /** DGLOBAL: pushes the design's global; the stack pointer after. */
  int designGlobal(Task t, FunctionCode f, DeclaredVar g, int at, int sp) {
    t.catchUp();
    Object v;
    try {
      v = g.get(env.designGlobals(g.slot() + 1), env);
    } catch (RuntimeException e) {
      throw fault(t, f, at, "reading " + g.name() + ": " + message(e), e);
    }
    return push(t, f, at, sp, PrimSite.kindOf(g.type()), v, g.name());
  }

  /** DPUTG: stores the value at {@code sp} (already popped) in the design's global. */
  void putDesignGlobal(Task t, DeclaredVar g, int sp) {
    t.catchUp();
    env.designGlobals(g.slot() + 1)[g.slot()] = popped(g.type(), lv, rv, sp);
  }

  /**
   * NEXT: advances the cursor in local {@code slot}; pushes its element of {@code kind}, or at
   * its end leaves the stack as it is. Returns {@link #NEXT_END} at the end, with
   * {@link #NEXT_SUSPENDED} when the task is suspended (pc and sp stored: the instruction after
   * it, or {@code end}).
   */
  int next(Task t, FunctionCode f, int slot, byte kind, int end, int at, int sp, int bp) {
    Cursor c = (Cursor) rv[bp + slot];
    int pc = at + 4;
    if (c != null && !c.batchable()) {
      t.catchUp();
    }
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
    t.settleInline();
    int r = 0;
    if (v == null) {
      pc = end;
      r = NEXT_END;
    } else {
      sp = push(t, f, at, sp, kind, v, "cursor");
    }
    if (t.state() != Task.State.RUNNING) {
      this.pc = pc;
      this.sp = sp;
      r |= NEXT_SUSPENDED;
    }
    return r;
  }

  /**
   * WAITQ: sleeps on the wait queue popped from {@code sp}; true when the task is suspended (pc
   * and sp stored).
   */
  boolean waitQueue(Task t, DesignTrace trace, FunctionCode f, String location, int at, int sp,
      int bp) {
    WaitQueue q = (WaitQueue) rv[sp];
    rv[sp] = null;
    this.fn = f;
    this.pc = at + 2;
    this.sp = sp;
    this.bp = bp;
    primitive = "wait_event";
    leafId = PrimSite.BY_NAME;
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
    return t.state() != Task.State.RUNNING;
  }

  DesignFault divisionFault(Task t, FunctionCode f, int at) {
    return fault(t, f, at, "division by zero", null);
  }

  DesignFault loopFault(Task t, FunctionCode f, int at) {
    return fault(t, f, at, "ran " + LOOP_LIMIT + " loop iterations without simulated"
        + " time passing (a loop that never calls a primitive that takes time?)", null);
  }
  /**
   * The array of {@code n} elements this task passes boxed arguments in, overwritten at its next
   * call: primitives read their arguments during the call and keep no array.
   */
  Object[] boxes(int n) {
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
    t.catchUp();
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
