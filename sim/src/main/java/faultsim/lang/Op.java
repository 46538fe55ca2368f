package faultsim.lang;

/**
 * The interpreter's instruction set: an int opcode followed by its int operands, over an operand
 * stack and local slots that are each either an integer ({@code long}: INT and BOOL, booleans
 * 0/1) or a reference (host objects, cursors, dists), as the checker knows statically. "k" is an
 * index into the function's constant pool, "s" a local slot, "t" a jump target.
 */
final class Op {
  private Op() {}

  /** ICONST v: push the integer v. */
  static final int ICONST = 1;
  /** LCONST k: push the Long constant k. */
  static final int LCONST = 2;
  /** ACONST k: push the reference constant k. */
  static final int ACONST = 3;
  /** ANULL: push NULL. */
  static final int ANULL = 4;
  /** LLOAD s / LSTORE s: integer local. */
  static final int LLOAD = 5;
  static final int LSTORE = 6;
  /** ALOAD s / ASTORE s: reference local. */
  static final int ALOAD = 7;
  static final int ASTORE = 8;
  /** Integer arithmetic on the two top values (DIV and REM fault on zero). */
  static final int ADD = 10;
  static final int SUB = 11;
  static final int MUL = 12;
  static final int DIV = 13;
  static final int REM = 14;
  static final int SHL = 15;
  static final int SHR = 16;
  static final int AND = 17;
  static final int OR = 18;
  static final int XOR = 19;
  /** Unary: -x, ~x, !x (0/1). */
  static final int NEG = 20;
  static final int BNOT = 21;
  static final int LNOT = 22;
  /** Integer comparisons, pushing 0/1. */
  static final int EQ = 23;
  static final int NE = 24;
  static final int LT = 25;
  static final int LE = 26;
  static final int GT = 27;
  static final int GE = 28;
  /** Reference identity comparisons, pushing 0/1. */
  static final int AEQ = 29;
  static final int ANE = 30;
  /** JMP t; JZ t / JNZ t pop an integer and jump if it is zero / not zero. */
  static final int JMP = 31;
  static final int JZ = 32;
  static final int JNZ = 33;
  /** CALL k: call design function k (a FunctionCode) with its arguments on the stack. */
  static final int CALL = 34;
  /** PRIM k: call primitive site k (a PrimSite). */
  static final int PRIM = 35;
  /** GETF k: replace the reference on top by its field k (a FieldAccess). */
  static final int GETF = 36;
  /** PUTF k: pop a value and a reference, store the value in field k. */
  static final int PUTF = 37;
  /** GLOBAL k: push global k (a HostGlobal) of this run. */
  static final int GLOBAL = 38;
  /** RET (void), LRET (integer), ARET (reference). */
  static final int RET = 39;
  static final int LRET = 40;
  static final int ARET = 41;
  /** NORET: the end of a non-void function was reached: a fault. */
  static final int NORET = 42;
  /** POP / APOP: discard an integer / a reference. */
  static final int POP = 43;
  static final int APOP = 44;
  /**
   * NEXT s r t: advance the cursor in reference local s; at its end jump to t; otherwise push the
   * element, r being its {@link PrimSite} kind (integer, boolean or reference).
   */
  static final int NEXT = 45;
  /** DGLOBAL k / DPUTG k: push / pop into global k declared by the design (a DeclaredVar). */
  static final int DGLOBAL = 49;
  static final int DPUTG = 50;
  /** WAITQ k: pop a wait queue and sleep on it ({@code wait_event}); k is the site's location. */
  static final int WAITQ = 46;
}
