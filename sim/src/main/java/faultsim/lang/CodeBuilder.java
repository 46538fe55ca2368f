package faultsim.lang;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.Token;

/**
 * Emits one function's instructions: words, the statement position of each, a constant pool,
 * forward jumps patched when their label is placed, and a conservative operand-stack depth.
 */
final class CodeBuilder {
  /** A jump target; placed once, referenced by any number of jumps. */
  static final class Label {
    private int pc = -1;
    private final List<Integer> patches = new ArrayList<>();
  }

  private int[] code = new int[64];
  private int[] lines = new int[64];
  private int[] columns = new int[64];
  private int size;
  private final List<Object> constants = new ArrayList<>();
  private final Map<Object, Integer> constantIndex = new HashMap<>();
  private int line;
  private int column;
  private int depth;
  private int maxDepth;
  /** Local slots an ASTORE writes (with the reference parameters: what RET clears). */
  private final java.util.BitSet refSlots = new java.util.BitSet();

  /** Subsequent words belong to the statement starting at {@code t}. */
  void at(Token t) {
    line = t.getLine();
    column = t.getCharPositionInLine() + 1;
  }

  /** At a statement boundary the operand stack is empty. */
  void statementBoundary() {
    depth = 0;
  }

  int size() {
    return size;
  }

  /** Drops the words emitted since {@code mark} (only code without labels inside). */
  void truncate(int mark, int depthAtMark) {
    size = mark;
    depth = depthAtMark;
  }

  int depth() {
    return depth;
  }

  /** Emits {@code op} with its operands; {@code stackDelta} is its net effect on the stack. */
  void emit(int stackDelta, int op, int... operands) {
    if (op == Op.ASTORE) {
      refSlots.set(operands[0]);
    }
    word(op);
    for (int x : operands) {
      word(x);
    }
    depth += stackDelta;
    maxDepth = Math.max(maxDepth, depth);
  }

  /** Emits a jump ({@link Op#JMP}, {@link Op#JZ}, {@link Op#JNZ}) to {@code target}. */
  void jump(int op, Label target) {
    emit(op == Op.JMP ? 0 : -1, op);
    if (target.pc >= 0) {
      word(target.pc);
    } else {
      target.patches.add(size);
      word(-1);
    }
  }

  /** Places {@code label} at the next instruction. */
  void place(Label label) {
    label.pc = size;
    for (int at : label.patches) {
      code[at] = size;
    }
    label.patches.clear();
  }

  /** The pc of the word {@code NEXT} emits last, for patching its target. */
  void patchHere(int at, Label label) {
    if (label.pc >= 0) {
      code[at] = label.pc;
    } else {
      label.patches.add(at);
    }
  }

  int constant(Object value) {
    Integer i = constantIndex.get(key(value));
    if (i != null) {
      return i;
    }
    constants.add(value);
    constantIndex.put(key(value), constants.size() - 1);
    return constants.size() - 1;
  }

  /** Equal numbers share a slot; anything else is pooled by identity. */
  private static Object key(Object value) {
    return value instanceof Long ? value : new IdentityKey(value);
  }

  private record IdentityKey(Object o) {
    @Override
    public boolean equals(Object other) {
      return other instanceof IdentityKey k && k.o == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(o);
    }
  }

  /** Pushes an integer: inline if it fits in an int, from the pool otherwise. */
  void pushLong(long v) {
    if (v == (int) v) {
      emit(1, Op.ICONST, (int) v);
    } else {
      emit(1, Op.LCONST, constant(v));
    }
  }

  void finish(FunctionCode fn, int locals) {
    fn.code = Arrays.copyOf(code, size);
    fn.lines = Arrays.copyOf(lines, size);
    fn.columns = Arrays.copyOf(columns, size);
    fn.constants = constants.toArray();
    fn.locals = locals;
    fn.maxStack = maxDepth + 2;
    for (int i = 0; i < fn.paramTypes.size(); i++) {
      if (PrimSite.kindOf(fn.paramTypes.get(i)) == PrimSite.REF) {
        refSlots.set(i);
      }
    }
    fn.refLocals = refSlots.stream().toArray();
  }

  private void word(int w) {
    if (size == code.length) {
      code = Arrays.copyOf(code, size * 2);
      lines = Arrays.copyOf(lines, size * 2);
      columns = Arrays.copyOf(columns, size * 2);
    }
    code[size] = w;
    lines[size] = line;
    columns[size] = column;
    size++;
  }
}
