package faultsim.lang;

/**
 * A call of a primitive at one place in a design: the primitive, how each argument is passed
 * (integer, boolean or reference slot), where the call is written, for the trace, and how the
 * interpreter calls it, chosen here once: on the slots without boxing ({@link #SLOTS},
 * {@link #LONG}) when the primitive was defined so, else with its arguments boxed into an array
 * ({@link #BOXED}).
 */
final class PrimSite {
  static final byte INT = Args.INT;
  static final byte BOOL = Args.BOOL;
  static final byte REF = Args.REF;

  /** How the interpreter calls the primitive. */
  static final int BOXED = 0;
  static final int SLOTS = 1;
  static final int LONG = 2;

  final Primitive primitive;
  final String name;
  final Primitive.Impl impl;
  final Primitive.SlotImpl slotImpl;
  final Primitive.LongImpl longImpl;
  final int mode;
  final byte[] argKinds;
  final byte returnKind;
  final boolean returnsVoid;
  final String location;
  /**
   * Where a time profile charges the task's time in this call, under the calling function's
   * node: the primitive's own node, found by its {@link Primitive#id()} ({@link
   * faultsim.machine.TimeProfile.Node#leaf}); or, for {@code cpu}, whose time is the function's
   * own work, {@link #NO_LEAF}.
   */
  final int leafId;

  /** {@link #leafId} of a primitive whose time is charged to the calling function itself. */
  static final int NO_LEAF = -1;
  /** A leaf found by its name alone (a built-in step such as {@code wait_event}). */
  static final int BY_NAME = -2;

  PrimSite(Primitive p, String location) {
    this.primitive = p;
    this.name = p.name();
    this.leafId = name.equals("cpu") ? NO_LEAF : p.id();
    this.impl = p.impl();
    this.slotImpl = p.slotImpl();
    this.longImpl = p.longImpl();
    this.mode = longImpl != null ? LONG : slotImpl != null ? SLOTS : BOXED;
    this.argKinds = p.kinds();
    this.returnsVoid = p.returns().kind() == Type.Kind.VOID;
    this.returnKind = returnsVoid ? REF : kindOf(p.returns());
    this.location = location;
  }

  static byte kindOf(Type t) {
    return switch (t.kind()) {
      case INT -> INT;
      case BOOL -> BOOL;
      default -> REF;
    };
  }
}
