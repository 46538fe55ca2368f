package faultsim.lang;

import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.AASTORE;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PRIVATE;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ACONST_NULL;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.ATHROW;
import static org.objectweb.asm.Opcodes.BIPUSH;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.I2L;
import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.IAND;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.ICONST_1;
import static org.objectweb.asm.Opcodes.ICONST_M1;
import static org.objectweb.asm.Opcodes.IFEQ;
import static org.objectweb.asm.Opcodes.IFGE;
import static org.objectweb.asm.Opcodes.IFGT;
import static org.objectweb.asm.Opcodes.IFLE;
import static org.objectweb.asm.Opcodes.IFLT;
import static org.objectweb.asm.Opcodes.IFNE;
import static org.objectweb.asm.Opcodes.IFNONNULL;
import static org.objectweb.asm.Opcodes.IF_ACMPNE;
import static org.objectweb.asm.Opcodes.IF_ICMPGE;
import static org.objectweb.asm.Opcodes.IF_ICMPLT;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKEINTERFACE;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.ISUB;
import static org.objectweb.asm.Opcodes.IXOR;
import static org.objectweb.asm.Opcodes.L2I;
import static org.objectweb.asm.Opcodes.LADD;
import static org.objectweb.asm.Opcodes.LALOAD;
import static org.objectweb.asm.Opcodes.LAND;
import static org.objectweb.asm.Opcodes.LASTORE;
import static org.objectweb.asm.Opcodes.LCMP;
import static org.objectweb.asm.Opcodes.LCONST_0;
import static org.objectweb.asm.Opcodes.LCONST_1;
import static org.objectweb.asm.Opcodes.LDIV;
import static org.objectweb.asm.Opcodes.LLOAD;
import static org.objectweb.asm.Opcodes.LMUL;
import static org.objectweb.asm.Opcodes.LNEG;
import static org.objectweb.asm.Opcodes.LOR;
import static org.objectweb.asm.Opcodes.LREM;
import static org.objectweb.asm.Opcodes.LSHL;
import static org.objectweb.asm.Opcodes.LSHR;
import static org.objectweb.asm.Opcodes.LSTORE;
import static org.objectweb.asm.Opcodes.LSUB;
import static org.objectweb.asm.Opcodes.LXOR;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.PUTFIELD;
import static org.objectweb.asm.Opcodes.PUTSTATIC;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.SIPUSH;
import static org.objectweb.asm.Opcodes.V17;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Compiles a design function's instructions ({@link Op}) to a JVM method, a template per
 * instruction: the pc is folded into the code, and the operand stack's depth is known at every
 * instruction, so each stack slot the interpreter would use is a constant offset from the
 * frame's base. The method works on the interpreter's own arrays and fields (see
 * {@link CompiledFunction}); a call or a return is left to the interpreter, which then enters the
 * callee's or the caller's compiled code. Each point where the task may be suspended (around a
 * primitive, a cursor step, a sleep on a wait queue, after a call) is an entry of the method's
 * opening switch on the pc.
 *
 * <p>Primitives are called on the plain path through the impl of their call site, loaded from a
 * static final field of the generated class: one receiver per site, a constant to the JIT, which
 * can inline the primitive. With a perturbation set or on the reference path, a call goes
 * through {@link DesignCall#primitive} as the interpreter's does. Host fields with a long getter
 * are read likewise from a constant; other fields, globals, cursors and wait queues use the
 * interpreter's own methods for those instructions.
 *
 * <p>A function whose method would exceed {@link #MAX_METHOD_BYTES} (the JIT does not compile
 * larger methods) or whose stack depth is not the same on every path to an instruction is left
 * to the interpreter.
 */
final class BytecodeCompiler {
  /** The largest method the JIT compiles (HotSpot's HugeMethodLimit). */
  static final int MAX_METHOD_BYTES = 8000;

  private static final String CALL = "faultsim/lang/DesignCall";
  private static final String TASK = "faultsim/machine/Task";
  private static final String FUNCTION = "Lfaultsim/lang/FunctionCode;";
  private static final String FIELD = "Lfaultsim/lang/FieldAccess;";
  private static final String SITE = "Lfaultsim/lang/PrimSite;";
  private static final String ARGS = "faultsim/lang/Args";
  private static final String FAULT = "Lfaultsim/lang/DesignFault;";
  private static final String EXEC = "(L" + CALL + ";L" + TASK
      + ";Lfaultsim/lang/DesignTrace;[J[Ljava/lang/Object;II)I";
  private static final String RUNTIME = "java/lang/RuntimeException";

  // The generated method's locals.
  private static final int C = 1;
  private static final int T = 2;
  private static final int TRACE = 3;
  private static final int LV = 4;
  private static final int RV = 5;
  private static final int BP = 6;
  private static final int PC = 7;
  private static final int BUDGET = 8;
  private static final int ENV = 10;
  private static final int PLAIN = 11;
  private static final int OBJ = 12;
  private static final int LTMP = 13;
  private static final int ITMP = 15;

  private final FunctionCode f;
  private final int[] code;
  private final int[] depth;
  private final Label[] labels;
  /** Per instruction of another part, the code that goes on there. */
  private final Label[] exits;
  /** The instructions of the method being emitted: {@code lo} to {@code hi}, exclusive. */
  private int lo;
  private int hi;
  private final List<Object> values = new ArrayList<>();
  private final List<String> descriptors = new ArrayList<>();
  /** Code emitted after the method's body: fault paths and handlers. */
  private final List<Runnable> cold = new ArrayList<>();
  private MethodVisitor mv;
  private Label suspend;

  private BytecodeCompiler(FunctionCode f, int[] depth) {
    this.f = f;
    this.code = f.code;
    this.depth = depth;
    this.labels = new Label[code.length];
    this.exits = new Label[code.length];
  }

  /**
   * Compiles every function of {@code functions} and every function they call that is not
   * compiled yet; a function that cannot be compiled stays interpreted.
   */
  static void compileAll(Collection<FunctionCode> functions) {
    Deque<FunctionCode> work = new ArrayDeque<>(functions);
    Map<FunctionCode, Boolean> seen = new IdentityHashMap<>();
    while (!work.isEmpty()) {
      FunctionCode fn = work.pop();
      if (seen.put(fn, Boolean.TRUE) != null || fn.compiled != null) {
        continue;
      }
      fn.compiled = compile(fn);
      for (Object k : fn.constants) {
        if (k instanceof FunctionCode callee) {
          work.push(callee);
        }
      }
    }
  }

  /** The function compiled, or null when it is to be interpreted. */
  static CompiledFunction compile(FunctionCode f) {
    int[] depth = depths(f);
    if (depth == null) {
      return null;
    }
    BytecodeCompiler bc = new BytecodeCompiler(f, depth);
    byte[] bytes = bc.generate();
    if (bytes == null) {
      return null;
    }
    try {
      MethodHandles.Lookup hidden = MethodHandles.lookup()
          .defineHiddenClassWithClassData(bytes, bc.values.toArray(), true);
      return (CompiledFunction) hidden.findConstructor(hidden.lookupClass(),
          MethodType.methodType(void.class)).invoke();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("compiling " + f.name + ": " + e, e);
    }
  }

  /** The number of words of the instruction {@code op}, or -1 for none. */
  static int length(int op) {
    return switch (op) {
      case Op.ANULL, Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.REM, Op.SHL, Op.SHR, Op.AND, Op.OR,
          Op.XOR, Op.NEG, Op.BNOT, Op.LNOT, Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE, Op.AEQ,
          Op.ANE, Op.RET, Op.LRET, Op.ARET, Op.NORET, Op.POP, Op.APOP -> 1;
      case Op.ICONST, Op.LCONST, Op.ACONST, Op.LLOAD, Op.LSTORE, Op.ALOAD, Op.ASTORE, Op.JMP,
          Op.JZ, Op.JNZ, Op.CALL, Op.PRIM, Op.GETF, Op.PUTF, Op.GLOBAL, Op.DGLOBAL, Op.DPUTG,
          Op.WAITQ -> 2;
      case Op.NEXT -> 4;
      default -> -1;
    };
  }

  /**
   * The operand stack's depth before each instruction (-1 where none is reached), or null when
   * it differs between paths or leaves the function's stack.
   */
  static int[] depths(FunctionCode f) {
    int[] code = f.code;
    int[] depth = new int[code.length];
    Arrays.fill(depth, -1);
    Deque<Integer> work = new ArrayDeque<>();
    depth[0] = 0;
    work.push(0);
    while (!work.isEmpty()) {
      int pc = work.pop();
      int d = depth[pc];
      int op = code[pc];
      int len = length(op);
      if (len < 0 || pc + len > code.length) {
        return null;
      }
      int next = pc + len;
      boolean ok = switch (op) {
        case Op.ICONST, Op.LCONST, Op.ACONST, Op.ANULL, Op.LLOAD, Op.ALOAD, Op.GLOBAL,
            Op.DGLOBAL -> flow(depth, work, f, next, d + 1);
        case Op.LSTORE, Op.ASTORE, Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.REM, Op.SHL, Op.SHR,
            Op.AND, Op.OR, Op.XOR, Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE, Op.AEQ, Op.ANE,
            Op.POP, Op.APOP, Op.DPUTG, Op.WAITQ -> flow(depth, work, f, next, d - 1);
        case Op.NEG, Op.BNOT, Op.LNOT, Op.GETF -> d >= 1 && flow(depth, work, f, next, d);
        case Op.PUTF -> flow(depth, work, f, next, d - 2);
        case Op.JMP -> flow(depth, work, f, code[pc + 1], d);
        case Op.JZ, Op.JNZ -> flow(depth, work, f, next, d - 1)
            && flow(depth, work, f, code[pc + 1], d - 1);
        case Op.CALL -> {
          FunctionCode callee = (FunctionCode) f.constants[code[pc + 1]];
          int n = callee.paramTypes.size();
          yield d >= n && flow(depth, work, f, next,
              d - n + (callee.returnType.kind() == faultsim.lang.Type.Kind.VOID ? 0 : 1));
        }
        case Op.PRIM -> {
          PrimSite site = (PrimSite) f.constants[code[pc + 1]];
          int n = site.argKinds.length;
          // A long impl's value is pushed even by a void primitive on the plain path, not on
          // the reference path: such a site has no single depth after it.
          if (site.mode == PrimSite.LONG && site.returnsVoid) {
            yield false;
          }
          yield d >= n && flow(depth, work, f, next, d - n + (site.returnsVoid ? 0 : 1));
        }
        case Op.NEXT -> flow(depth, work, f, next, d + 1)
            && flow(depth, work, f, code[pc + 3], d);
        default -> true;
      };
      if (!ok) {
        return null;
      }
    }
    return depth;
  }

  private static boolean flow(int[] depth, Deque<Integer> work, FunctionCode f, int pc, int d) {
    if (pc < 0 || pc >= depth.length || d < 0 || d > f.maxStack) {
      return false;
    }
    if (depth[pc] < 0) {
      depth[pc] = d;
      work.push(pc);
      return true;
    }
    return depth[pc] == d;
  }

  /**
   * The class's bytes, its code in one method, or split into methods over consecutive ranges of
   * instructions, as few as keep each under {@link #MAX_METHOD_BYTES}; null when even single
   * instructions cannot be.
   */
  private byte[] generate() {
    List<Integer> reached = new ArrayList<>();
    for (int pc = 0; pc < code.length; pc++) {
      if (depth[pc] >= 0) {
        reached.add(pc);
      }
    }
    for (int parts = 1; parts <= reached.size(); parts *= 2) {
      int[] bounds = new int[parts + 1];
      for (int i = 0; i < parts; i++) {
        bounds[i] = reached.get(i * reached.size() / parts);
      }
      bounds[parts] = code.length;
      byte[] bytes = generate(bounds);
      if (bytes != null) {
        return bytes;
      }
    }
    return null;
  }

  /** The class with its code split at {@code bounds}, or null if a method is too large. */
  private byte[] generate(int[] bounds) {
    values.clear();
    descriptors.clear();
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected String getCommonSuperClass(String a, String b) {
        // Only the scratch local holds values of different classes where paths meet, and it is
        // written again before it is read: no class needs to be loaded to merge them.
        return "java/lang/Object";
      }
    };
    String name = className();
    cw.visit(V17, ACC_FINAL | ACC_SUPER, name, null, "faultsim/lang/CompiledFunction", null);
    cw.visitSource(f.source.label(), null);

    MethodVisitor init = cw.visitMethod(0, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(ALOAD, 0);
    init.visitMethodInsn(INVOKESPECIAL, "faultsim/lang/CompiledFunction", "<init>", "()V", false);
    init.visitInsn(RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();

    int parts = bounds.length - 1;
    if (parts > 1) {
      dispatch(cw, bounds);
    }
    for (int i = 0; i < parts; i++) {
      mv = parts == 1 ? cw.visitMethod(ACC_FINAL, "exec", EXEC, null, null)
          : cw.visitMethod(ACC_PRIVATE | ACC_FINAL, "part" + i, EXEC, null, null);
      mv.visitCode();
      int size = body(bounds[i], bounds[i + 1]);
      mv.visitMaxs(0, 0);
      mv.visitEnd();
      if (size > MAX_METHOD_BYTES) {
        return null;
      }
    }

    for (int i = 0; i < values.size(); i++) {
      cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, "k" + i, descriptors.get(i), null, null)
          .visitEnd();
    }
    MethodVisitor clinit = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
    clinit.visitCode();
    clinit.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
        "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
    clinit.visitLdcInsn("_");
    clinit.visitLdcInsn(Type.getType(Object[].class));
    clinit.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
        "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)"
            + "Ljava/lang/Object;", false);
    clinit.visitTypeInsn(CHECKCAST, "[Ljava/lang/Object;");
    clinit.visitVarInsn(ASTORE, 0);
    for (int i = 0; i < values.size(); i++) {
      clinit.visitVarInsn(ALOAD, 0);
      push(clinit, i);
      clinit.visitInsn(AALOAD);
      String desc = descriptors.get(i);
      clinit.visitTypeInsn(CHECKCAST, Type.getType(desc).getInternalName());
      clinit.visitFieldInsn(PUTSTATIC, name, "k" + i, desc);
    }
    clinit.visitInsn(RETURN);
    clinit.visitMaxs(0, 0);
    clinit.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  /**
   * {@code exec} of a function split into parts: calls the part holding the pc until one
   * suspends the task or leaves an instruction to the interpreter; a part that jumps into
   * another returns {@code -2 - target}.
   */
  private void dispatch(ClassWriter cw, int[] bounds) {
    MethodVisitor m = cw.visitMethod(ACC_FINAL, "exec", EXEC, null, null);
    m.visitCode();
    Label loop = new Label();
    Label after = new Label();
    m.visitLabel(loop);
    int parts = bounds.length - 1;
    for (int i = 0; i < parts; i++) {
      Label other = new Label();
      if (i < parts - 1) {
        m.visitVarInsn(ILOAD, PC);
        push(m, bounds[i + 1]);
        m.visitJumpInsn(IF_ICMPGE, other);
      }
      for (int local = 0; local <= PC; local++) {
        m.visitVarInsn(local == BP || local == PC ? ILOAD : ALOAD, local);
      }
      m.visitMethodInsn(INVOKESPECIAL, className(), "part" + i, EXEC, false);
      m.visitVarInsn(ISTORE, ITMP);
      m.visitJumpInsn(GOTO, after);
      m.visitLabel(other);
    }
    m.visitLabel(after);
    Label jumped = new Label();
    m.visitVarInsn(ILOAD, ITMP);
    m.visitInsn(ICONST_M1);
    m.visitJumpInsn(IF_ICMPLT, jumped);
    m.visitVarInsn(ILOAD, ITMP);
    m.visitInsn(IRETURN);
    m.visitLabel(jumped);
    push(m, -2);
    m.visitVarInsn(ILOAD, ITMP);
    m.visitInsn(ISUB);
    m.visitVarInsn(ISTORE, PC);
    m.visitJumpInsn(GOTO, loop);
    m.visitMaxs(0, 0);
    m.visitEnd();
  }

  private String className() {
    return "faultsim/lang/CompiledFunction$" + javaName(f.name);
  }

  private static String javaName(String name) {
    StringBuilder b = new StringBuilder();
    for (char ch : name.toCharArray()) {
      b.append(Character.isJavaIdentifierPart(ch) ? ch : '_');
    }
    return b.toString();
  }

  /** Emits the code of instructions {@code lo} to {@code hi} (exclusive); its size in bytes. */
  private int body(int lo, int hi) {
    this.lo = lo;
    this.hi = hi;
    cold.clear();
    Arrays.fill(labels, null);
    Arrays.fill(exits, null);
    TreeSet<Integer> entries = new TreeSet<>();
    entries.add(lo);
    for (int pc = 0; pc < code.length; pc++) {
      if (depth[pc] < 0) {
        continue;
      }
      if (pc >= lo && pc < hi) {
        labels[pc] = new Label();
      }
      int next = pc + length(code[pc]);
      switch (code[pc]) {
        case Op.PRIM -> {
          entries.add(pc);
          entries.add(next);
        }
        case Op.CALL, Op.WAITQ -> entries.add(next);
        case Op.NEXT -> {
          entries.add(next);
          entries.add(code[pc + 3]);
        }
        case Op.JMP, Op.JZ, Op.JNZ -> {
          if (pc < lo || pc >= hi) {
            // A jump from another part comes in through the switch.
            entries.add(code[pc + 1]);
          }
        }
        default -> { }
      }
    }
    entries.removeIf(pc -> pc < lo || pc >= hi || depth[pc] < 0);

    mv.visitVarInsn(ALOAD, C);
    mv.visitFieldInsn(GETFIELD, CALL, "budget", "J");
    mv.visitVarInsn(LSTORE, BUDGET);
    mv.visitVarInsn(ALOAD, C);
    mv.visitMethodInsn(INVOKEVIRTUAL, CALL, "env", "()Lfaultsim/lang/RunEnv;", false);
    mv.visitVarInsn(ASTORE, ENV);
    mv.visitVarInsn(ALOAD, C);
    mv.visitMethodInsn(INVOKEVIRTUAL, CALL, "plainPrimitives", "()Z", false);
    mv.visitVarInsn(ISTORE, PLAIN);
    int[] keys = entries.stream().mapToInt(Integer::intValue).toArray();
    Label[] targets = new Label[keys.length];
    for (int i = 0; i < keys.length; i++) {
      targets[i] = labels[keys[i]];
    }
    Label bad = new Label();
    suspend = new Label();
    mv.visitVarInsn(ILOAD, PC);
    mv.visitLookupSwitchInsn(bad, keys, targets);

    for (int pc = lo; pc < hi; pc++) {
      if (depth[pc] >= 0) {
        mv.visitLabel(labels[pc]);
        instruction(pc, f.locals + depth[pc]);
      }
    }
    if (hi < code.length) {
      // The last instruction falls through into the next part.
      mv.visitJumpInsn(GOTO, target(hi));
    }

    mv.visitLabel(bad);
    constant(f, FUNCTION);
    mv.visitVarInsn(ILOAD, PC);
    mv.visitMethodInsn(INVOKESTATIC, "faultsim/lang/CompiledFunction", "badEntry",
        "(" + FUNCTION + "I)Ljava/lang/IllegalStateException;", false);
    mv.visitInsn(ATHROW);
    mv.visitLabel(suspend);
    mv.visitInsn(ICONST_M1);
    mv.visitInsn(IRETURN);
    for (int i = 0; i < cold.size(); i++) {
      cold.get(i).run();
    }
    Label end = new Label();
    mv.visitLabel(end);
    return end.getOffset();
  }

  /**
   * The label of instruction {@code pc}: its own in this part; in another part, code that
   * stores the loop budget and returns {@code -2 - pc} for {@code exec} to go on there.
   */
  private Label target(int pc) {
    if (pc >= lo && pc < hi) {
      return labels[pc];
    }
    Label exit = exits[pc];
    if (exit == null) {
      Label l = new Label();
      exits[pc] = l;
      exit = l;
      cold.add(() -> {
        mv.visitLabel(l);
        mv.visitVarInsn(ALOAD, C);
        mv.visitVarInsn(LLOAD, BUDGET);
        mv.visitFieldInsn(PUTFIELD, CALL, "budget", "J");
        push(mv, -2 - pc);
        mv.visitInsn(IRETURN);
      });
    }
    return exit;
  }

  /** Emits instruction {@code pc}, the stack's top being below frame offset {@code o}. */
  private void instruction(int pc, int o) {
    int op = code[pc];
    switch (op) {
      case Op.ICONST -> {
        arrayAt(LV, o);
        ldcLong(code[pc + 1]);
        mv.visitInsn(LASTORE);
      }
      case Op.LCONST -> {
        arrayAt(LV, o);
        ldcLong((Long) f.constants[code[pc + 1]]);
        mv.visitInsn(LASTORE);
      }
      case Op.ACONST -> {
        arrayAt(RV, o);
        constant(f.constants[code[pc + 1]], "Ljava/lang/Object;");
        mv.visitInsn(AASTORE);
      }
      case Op.ANULL, Op.APOP -> clearRef(op == Op.ANULL ? o : o - 1);
      case Op.LLOAD -> {
        arrayAt(LV, o);
        load(LV, code[pc + 1]);
        mv.visitInsn(LASTORE);
      }
      case Op.LSTORE -> {
        arrayAt(LV, code[pc + 1]);
        load(LV, o - 1);
        mv.visitInsn(LASTORE);
      }
      case Op.ALOAD -> {
        arrayAt(RV, o);
        load(RV, code[pc + 1]);
        mv.visitInsn(AASTORE);
      }
      case Op.ASTORE -> {
        arrayAt(RV, code[pc + 1]);
        load(RV, o - 1);
        mv.visitInsn(AASTORE);
        clearRef(o - 1);
      }
      case Op.ADD, Op.SUB, Op.MUL, Op.AND, Op.OR, Op.XOR, Op.SHL, Op.SHR, Op.DIV, Op.REM -> {
        if (op == Op.DIV || op == Op.REM) {
          load(LV, o - 1);
          mv.visitInsn(LCONST_0);
          mv.visitInsn(LCMP);
          faultIf(IFEQ, pc, "divisionFault");
        }
        arrayAt(LV, o - 2);
        load(LV, o - 2);
        load(LV, o - 1);
        if (op == Op.SHL || op == Op.SHR) {
          mv.visitInsn(L2I);
        }
        mv.visitInsn(switch (op) {
          case Op.ADD -> LADD;
          case Op.SUB -> LSUB;
          case Op.MUL -> LMUL;
          case Op.AND -> LAND;
          case Op.OR -> LOR;
          case Op.XOR -> LXOR;
          case Op.SHL -> LSHL;
          case Op.SHR -> LSHR;
          case Op.DIV -> LDIV;
          default -> LREM;
        });
        mv.visitInsn(LASTORE);
      }
      case Op.NEG, Op.BNOT -> {
        arrayAt(LV, o - 1);
        load(LV, o - 1);
        if (op == Op.NEG) {
          mv.visitInsn(LNEG);
        } else {
          ldcLong(-1);
          mv.visitInsn(LXOR);
        }
        mv.visitInsn(LASTORE);
      }
      case Op.LNOT -> {
        arrayAt(LV, o - 1);
        load(LV, o - 1);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
        bit(IFEQ);
        mv.visitInsn(LASTORE);
      }
      case Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE -> {
        arrayAt(LV, o - 2);
        load(LV, o - 2);
        load(LV, o - 1);
        mv.visitInsn(LCMP);
        bit(switch (op) {
          case Op.EQ -> IFEQ;
          case Op.NE -> IFNE;
          case Op.LT -> IFLT;
          case Op.LE -> IFLE;
          case Op.GT -> IFGT;
          default -> IFGE;
        });
        mv.visitInsn(LASTORE);
      }
      case Op.AEQ, Op.ANE -> {
        load(RV, o - 2);
        load(RV, o - 1);
        Label differ = new Label();
        Label done = new Label();
        mv.visitJumpInsn(IF_ACMPNE, differ);
        mv.visitInsn(op == Op.AEQ ? ICONST_1 : ICONST_0);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(differ);
        mv.visitInsn(op == Op.AEQ ? ICONST_0 : ICONST_1);
        mv.visitLabel(done);
        mv.visitVarInsn(ISTORE, ITMP);
        clearRef(o - 2);
        clearRef(o - 1);
        arrayAt(LV, o - 2);
        mv.visitVarInsn(ILOAD, ITMP);
        mv.visitInsn(I2L);
        mv.visitInsn(LASTORE);
      }
      case Op.JMP -> jump(pc, code[pc + 1]);
      case Op.JZ, Op.JNZ -> {
        load(LV, o - 1);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
        Label stay = new Label();
        mv.visitJumpInsn(op == Op.JZ ? IFNE : IFEQ, stay);
        jump(pc, code[pc + 1]);
        mv.visitLabel(stay);
      }
      case Op.POP -> { }
      case Op.CALL, Op.RET, Op.LRET, Op.ARET, Op.NORET -> {
        // Left to the interpreter, which enters the callee's (or the caller's) compiled code.
        mv.visitVarInsn(ALOAD, C);
        slot(o);
        mv.visitFieldInsn(PUTFIELD, CALL, "sp", "I");
        mv.visitVarInsn(ALOAD, C);
        mv.visitVarInsn(LLOAD, BUDGET);
        mv.visitFieldInsn(PUTFIELD, CALL, "budget", "J");
        push(mv, pc);
        mv.visitInsn(IRETURN);
      }
      case Op.PRIM -> primitive(pc, o, (PrimSite) f.constants[code[pc + 1]]);
      case Op.GETF -> getField(pc, o, (FieldAccess) f.constants[code[pc + 1]]);
      case Op.PUTF -> {
        callHead();
        constant(f, FUNCTION);
        constant(f.constants[code[pc + 1]], FIELD);
        push(mv, pc);
        slot(o);
        helper("putField", "(L" + TASK + ";" + FUNCTION + FIELD + "II)V");
      }
      case Op.GLOBAL, Op.DGLOBAL -> {
        callHead();
        constant(f, FUNCTION);
        boolean host = op == Op.GLOBAL;
        String desc = host ? "Lfaultsim/lang/HostGlobal;" : "Lfaultsim/lang/DeclaredVar;";
        constant(f.constants[code[pc + 1]], desc);
        push(mv, pc);
        slot(o);
        helper(host ? "global" : "designGlobal", "(L" + TASK + ";" + FUNCTION + desc + "II)I");
        mv.visitInsn(POP);
      }
      case Op.DPUTG -> {
        callHead();
        constant(f.constants[code[pc + 1]], "Lfaultsim/lang/DeclaredVar;");
        slot(o - 1);
        helper("putDesignGlobal", "(L" + TASK + ";Lfaultsim/lang/DeclaredVar;I)V");
      }
      case Op.NEXT -> {
        callHead();
        constant(f, FUNCTION);
        push(mv, code[pc + 1]);
        push(mv, code[pc + 2]);
        push(mv, code[pc + 3]);
        push(mv, pc);
        slot(o);
        mv.visitVarInsn(ILOAD, BP);
        helper("next", "(L" + TASK + ";" + FUNCTION + "IBIIII)I");
        mv.visitVarInsn(ISTORE, ITMP);
        mv.visitVarInsn(ILOAD, ITMP);
        push(mv, DesignCall.NEXT_SUSPENDED);
        mv.visitInsn(IAND);
        mv.visitJumpInsn(IFNE, suspend);
        mv.visitVarInsn(ILOAD, ITMP);
        push(mv, DesignCall.NEXT_END);
        mv.visitInsn(IAND);
        mv.visitJumpInsn(IFNE, target(code[pc + 3]));
      }
      case Op.WAITQ -> {
        callHead();
        mv.visitVarInsn(ALOAD, TRACE);
        constant(f, FUNCTION);
        constant(f.constants[code[pc + 1]], "Ljava/lang/String;");
        push(mv, pc);
        slot(o - 1);
        mv.visitVarInsn(ILOAD, BP);
        helper("waitQueue", "(L" + TASK + ";Lfaultsim/lang/DesignTrace;" + FUNCTION
            + "Ljava/lang/String;III)Z");
        mv.visitJumpInsn(IFNE, suspend);
      }
      default -> throw new IllegalStateException("opcode " + op + " at " + pc + " of " + f.name);
    }
  }

  /**
   * PRIM: on the plain path, the site's impl called from a constant, then the interpreter's
   * bookkeeping after the call; otherwise the interpreter's own call.
   */
  private void primitive(int pc, int o, PrimSite site) {
    int n = site.argKinds.length;
    Label slow = new Label();
    Label done = new Label();
    mv.visitVarInsn(ILOAD, PLAIN);
    mv.visitJumpInsn(IFEQ, slow);

    callHead();
    mv.visitVarInsn(ALOAD, TRACE);
    constant(site, SITE);
    push(mv, pc + 2);
    slot(o - n);
    helper("enterPrimitive", "(L" + TASK + ";Lfaultsim/lang/DesignTrace;" + SITE + "II)L"
        + ARGS + ";");
    mv.visitVarInsn(ASTORE, OBJ);
    Label start = new Label();
    Label end = new Label();
    Label handler = new Label();
    mv.visitTryCatchBlock(start, end, handler, RUNTIME);
    mv.visitLabel(start);
    String implArgs = "(Lfaultsim/lang/RunEnv;L" + TASK + ";";
    switch (site.mode) {
      case PrimSite.LONG -> {
        String type = "faultsim/lang/Primitive$LongImpl";
        constant(site.longImpl, "L" + type + ";");
        implHead();
        mv.visitMethodInsn(INVOKEINTERFACE, type, "call", implArgs + "L" + ARGS + ";)J", true);
        mv.visitVarInsn(LSTORE, LTMP);
      }
      case PrimSite.SLOTS -> {
        String type = "faultsim/lang/Primitive$SlotImpl";
        constant(site.slotImpl, "L" + type + ";");
        implHead();
        mv.visitMethodInsn(INVOKEINTERFACE, type, "call",
            implArgs + "L" + ARGS + ";)Ljava/lang/Object;", true);
        mv.visitVarInsn(ASTORE, OBJ);
      }
      default -> {
        String type = "faultsim/lang/Primitive$Impl";
        constant(site.impl, "L" + type + ";");
        implHead();
        mv.visitVarInsn(ALOAD, C);
        push(mv, n);
        helper("boxes", "(I)[Ljava/lang/Object;");
        mv.visitMethodInsn(INVOKEVIRTUAL, ARGS, "boxInto",
            "([Ljava/lang/Object;)[Ljava/lang/Object;", false);
        mv.visitMethodInsn(INVOKEINTERFACE, type, "call",
            implArgs + "[Ljava/lang/Object;)Ljava/lang/Object;", true);
        mv.visitVarInsn(ASTORE, OBJ);
      }
    }
    mv.visitLabel(end);
    callHead();
    constant(site, SITE);
    if (site.mode == PrimSite.LONG) {
      slot(o - n);
      mv.visitVarInsn(LLOAD, LTMP);
      helper("afterLong", "(L" + TASK + ";" + SITE + "IJ)I");
    } else {
      push(mv, pc);
      slot(o - n);
      mv.visitVarInsn(ALOAD, OBJ);
      helper("afterPrimitive", "(L" + TASK + ";" + SITE + "IILjava/lang/Object;)I");
    }
    mv.visitJumpInsn(IFLT, suspend);
    mv.visitJumpInsn(GOTO, done);

    mv.visitLabel(slow);
    callHead();
    mv.visitVarInsn(ALOAD, TRACE);
    constant(site, SITE);
    push(mv, pc);
    slot(o);
    helper("primitive", "(L" + TASK + ";Lfaultsim/lang/DesignTrace;" + SITE + "II)I");
    mv.visitJumpInsn(IFLT, suspend);
    mv.visitLabel(done);

    cold.add(() -> {
      mv.visitLabel(handler);
      mv.visitVarInsn(ASTORE, OBJ);
      callHead();
      push(mv, pc);
      constant(site, SITE);
      mv.visitVarInsn(ALOAD, OBJ);
      mv.visitTypeInsn(CHECKCAST, RUNTIME);
      helper("primitiveFault", "(L" + TASK + ";I" + SITE + "L" + RUNTIME + ";)" + FAULT);
      mv.visitInsn(ATHROW);
    });
  }

  /** The impl's receiver is on the stack: pushes env, task and the arguments' view. */
  private void implHead() {
    mv.visitVarInsn(ALOAD, ENV);
    mv.visitVarInsn(ALOAD, T);
    mv.visitVarInsn(ALOAD, OBJ);
    mv.visitTypeInsn(CHECKCAST, ARGS);
  }

  /** GETF: a field with a long getter read from a constant, any other by the interpreter. */
  private void getField(int pc, int o, FieldAccess field) {
    if (!field.readsLong()) {
      callHead();
      constant(f, FUNCTION);
      constant(field, FIELD);
      push(mv, pc);
      slot(o);
      helper("getField", "(L" + TASK + ";" + FUNCTION + FIELD + "II)I");
      mv.visitInsn(POP);
      return;
    }
    load(RV, o - 1);
    mv.visitVarInsn(ASTORE, OBJ);
    clearRef(o - 1);
    Label present = new Label();
    mv.visitVarInsn(ALOAD, OBJ);
    mv.visitJumpInsn(IFNONNULL, present);
    callHead();
    constant(f, FUNCTION);
    push(mv, pc);
    constant(field, FIELD);
    mv.visitLdcInsn("reading");
    helper("nullField", "(L" + TASK + ";" + FUNCTION + "I" + FIELD + "Ljava/lang/String;)"
        + FAULT);
    mv.visitInsn(ATHROW);
    mv.visitLabel(present);
    Label start = new Label();
    Label end = new Label();
    Label handler = new Label();
    mv.visitTryCatchBlock(start, end, handler, RUNTIME);
    arrayAt(LV, o - 1);
    if (field instanceof HostField host) {
      // HostField.readLong written out: the getter is this site's own constant, so its call
      // has one receiver and is inlined here, where a call through the shared HostField
      // method is a dispatch on every field's getter.
      mv.visitLabel(start);
      mv.visitVarInsn(ALOAD, ENV);
      mv.visitMethodInsn(INVOKEVIRTUAL, "faultsim/lang/RunEnv", "speculation",
          "()Lfaultsim/machine/Speculation;", false);
      mv.visitVarInsn(ALOAD, OBJ);
      mv.visitMethodInsn(INVOKESTATIC, "faultsim/machine/Speculation", "readField",
          "(Lfaultsim/machine/Speculation;Ljava/lang/Object;)V", false);
      constant(host.longGetter(), "Ljava/util/function/ToLongFunction;");
      mv.visitVarInsn(ALOAD, OBJ);
      mv.visitMethodInsn(INVOKEINTERFACE, "java/util/function/ToLongFunction", "applyAsLong",
          "(Ljava/lang/Object;)J", true);
    } else {
      constant(field, FIELD);
      mv.visitVarInsn(ALOAD, OBJ);
      mv.visitVarInsn(ALOAD, ENV);
      mv.visitLabel(start);
      mv.visitMethodInsn(INVOKEINTERFACE, "faultsim/lang/FieldAccess", "readLong",
          "(Ljava/lang/Object;Lfaultsim/lang/RunEnv;)J", true);
    }
    mv.visitLabel(end);
    mv.visitInsn(LASTORE);
    cold.add(() -> {
      mv.visitLabel(handler);
      mv.visitVarInsn(ASTORE, OBJ);
      callHead();
      constant(f, FUNCTION);
      push(mv, pc);
      constant(field, FIELD);
      mv.visitLdcInsn("reading");
      mv.visitVarInsn(ALOAD, OBJ);
      mv.visitTypeInsn(CHECKCAST, RUNTIME);
      helper("fieldFault", "(L" + TASK + ";" + FUNCTION + "I" + FIELD + "Ljava/lang/String;L"
          + RUNTIME + ";)" + FAULT);
      mv.visitInsn(ATHROW);
    });
  }

  /** A jump from {@code pc}; a backward one takes a loop iteration from the budget. */
  private void jump(int pc, int target) {
    if (target > pc) {
      mv.visitJumpInsn(GOTO, target(target));
      return;
    }
    mv.visitVarInsn(LLOAD, BUDGET);
    mv.visitInsn(LCONST_1);
    mv.visitInsn(LSUB);
    mv.visitInsn(org.objectweb.asm.Opcodes.DUP2);
    mv.visitVarInsn(LSTORE, BUDGET);
    mv.visitInsn(LCONST_0);
    mv.visitInsn(LCMP);
    mv.visitJumpInsn(IFGE, target(target));
    callHead();
    constant(f, FUNCTION);
    push(mv, pc);
    helper("loopFault", "(L" + TASK + ";" + FUNCTION + "I)" + FAULT);
    mv.visitInsn(ATHROW);
  }

  /** Jumps on {@code cond} (an int on the stack) to code throwing the design fault. */
  private void faultIf(int cond, int pc, String method) {
    Label fault = new Label();
    mv.visitJumpInsn(cond, fault);
    cold.add(() -> {
      mv.visitLabel(fault);
      callHead();
      constant(f, FUNCTION);
      push(mv, pc);
      helper(method, "(L" + TASK + ";" + FUNCTION + "I)" + FAULT);
      mv.visitInsn(ATHROW);
    });
  }

  /** Pushes 1L when {@code cond} holds of the int on the stack, else 0L. */
  private void bit(int cond) {
    Label yes = new Label();
    Label done = new Label();
    mv.visitJumpInsn(cond, yes);
    mv.visitInsn(LCONST_0);
    mv.visitJumpInsn(GOTO, done);
    mv.visitLabel(yes);
    mv.visitInsn(LCONST_1);
    mv.visitLabel(done);
  }

  private void callHead() {
    mv.visitVarInsn(ALOAD, C);
    mv.visitVarInsn(ALOAD, T);
  }

  private void helper(String method, String desc) {
    mv.visitMethodInsn(INVOKEVIRTUAL, CALL, method, desc, false);
  }

  /** Pushes array {@code array} and the index of frame offset {@code offset}. */
  private void arrayAt(int array, int offset) {
    mv.visitVarInsn(ALOAD, array);
    slot(offset);
  }

  private void load(int array, int offset) {
    arrayAt(array, offset);
    mv.visitInsn(array == LV ? LALOAD : AALOAD);
  }

  private void clearRef(int offset) {
    arrayAt(RV, offset);
    mv.visitInsn(ACONST_NULL);
    mv.visitInsn(AASTORE);
  }

  /** Pushes the slot index {@code bp + offset}. */
  private void slot(int offset) {
    mv.visitVarInsn(ILOAD, BP);
    if (offset != 0) {
      push(mv, offset);
      mv.visitInsn(IADD);
    }
  }

  private void ldcLong(long v) {
    if (v == 0) {
      mv.visitInsn(LCONST_0);
    } else if (v == 1) {
      mv.visitInsn(LCONST_1);
    } else {
      mv.visitLdcInsn(v);
    }
  }

  private static void push(MethodVisitor mv, int v) {
    if (v >= -1 && v <= 5) {
      mv.visitInsn(ICONST_0 + v);
    } else if (v == (byte) v) {
      mv.visitIntInsn(BIPUSH, v);
    } else if (v == (short) v) {
      mv.visitIntInsn(SIPUSH, v);
    } else {
      mv.visitLdcInsn(v);
    }
  }

  /** Pushes {@code value} from a static final field of type {@code desc} of the class. */
  private void constant(Object value, String desc) {
    int i = 0;
    while (i < values.size() && !(values.get(i) == value && descriptors.get(i).equals(desc))) {
      i++;
    }
    if (i == values.size()) {
      values.add(value);
      descriptors.add(desc);
    }
    mv.visitFieldInsn(GETSTATIC, className(), "k" + i, desc);
  }
}
