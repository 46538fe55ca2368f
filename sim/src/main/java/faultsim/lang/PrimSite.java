package faultsim.lang;

/**
 * A call of a primitive at one place in a design: the primitive, how each argument is passed
 * (integer, boolean or reference slot) and where the call is written, for the trace.
 */
final class PrimSite {
  static final byte INT = 0;
  static final byte BOOL = 1;
  static final byte REF = 2;

  final Primitive primitive;
  final Primitive.Impl impl;
  final byte[] argKinds;
  final byte returnKind;
  final boolean returnsVoid;
  final String location;

  PrimSite(Primitive p, String location) {
    this.primitive = p;
    this.impl = p.impl();
    this.argKinds = new byte[p.params().size()];
    for (int i = 0; i < argKinds.length; i++) {
      argKinds[i] = kindOf(p.params().get(i));
    }
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
