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

  PrimSite(Primitive p, String location) {
    this.primitive = p;
    this.name = p.name();
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
