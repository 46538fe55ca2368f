package faultsim.lang;

import java.util.List;

/**
 * One design function compiled for the interpreter: instructions ({@link Op}), constant pool,
 * the number of local slots (parameters first) and the operand stack depth it needs, and for every
 * instruction word the line and column of the statement it belongs to.
 */
final class FunctionCode {
  final String name;
  final String design;
  final DesignSource source;
  final Type returnType;
  final List<Type> paramTypes;
  final int line;
  final int column;
  /** "name (file:line)"-style definition location for traces: {@code file:line:column}. */
  final String location;

  int[] code;
  Object[] constants;
  int[] lines;
  int[] columns;
  int locals;
  int maxStack;
  /** The local slots that ever hold a reference (cleared when the function returns). */
  int[] refLocals;
  /** The function compiled to bytecode, or null where it is interpreted. */
  CompiledFunction compiled;
  /** {@link #siteAt} by instruction, filled as asked. */
  private String[] sites;

  FunctionCode(String name, String design, DesignSource source, Type returnType,
      List<Type> paramTypes, int line, int column) {
    this.name = name;
    this.design = design;
    this.source = source;
    this.returnType = returnType;
    this.paramTypes = List.copyOf(paramTypes);
    this.line = line;
    this.column = column;
    this.location = source.label() + ":" + line + ":" + column;
  }

  /** {@code file:line:column} of the statement at {@code pc}. */
  String locationAt(int pc) {
    int i = Math.max(0, Math.min(pc, lines.length - 1));
    return source.label() + ":" + lines[i] + ":" + columns[i];
  }

  /** {@code name+offset (file:line)} at {@code pc}, the offset in lines from the definition. */
  String siteAt(int pc) {
    int i = Math.max(0, Math.min(pc, lines.length - 1));
    // Asked at every lock acquisition (lock_stat's contention points), so built once per
    // instruction. Runs on several threads may share this function: a racing fill computes the
    // same immutable string, so the cache needs no lock.
    String[] cache = sites;
    if (cache == null || cache.length != lines.length) {
      cache = new String[lines.length];
      sites = cache;
    }
    String s = cache[i];
    if (s == null) {
      s = name + "+" + (lines[i] - line) + " (" + source.label() + ":" + lines[i] + ")";
      cache[i] = s;
    }
    return s;
  }

  /** {@code name (file:line)} for a call stack, at {@code pc}. */
  String frameAt(int pc) {
    int i = Math.max(0, Math.min(pc, lines.length - 1));
    return name + " (" + source.label() + ":" + lines[i] + ")";
  }
}
