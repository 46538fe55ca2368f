package faultsim.lang;

import faultsim.workload.Suggest;

/**
 * Resolves a written type ({@code struct folio *}, {@code folio *}, {@code folio},
 * {@code unsigned long}, {@code pgoff_t}) against the host.
 */
final class TypeNames {
  private TypeNames() {}

  /** The type {@code ref} names, or {@link Type#ERROR} after reporting why it names none. */
  static Type resolve(DesignParser.TypeRefContext ref, Host host, DesignSource src,
      Diagnostics diags) {
    if (ref instanceof DesignParser.UnsignedTypeContext u) {
      String n = u.name.getText();
      if (n.equals("long") || n.equals("int")) {
        return Type.INT;
      }
      diags.error(src, u.name, "expected 'unsigned long' or 'unsigned int', found 'unsigned "
          + n + "'");
      return Type.ERROR;
    }
    boolean struct = ref instanceof DesignParser.StructTypeContext;
    var nameToken = struct ? ((DesignParser.StructTypeContext) ref).name
        : ((DesignParser.NamedTypeContext) ref).name;
    boolean star = struct ? ((DesignParser.StructTypeContext) ref).star != null
        : ((DesignParser.NamedTypeContext) ref).star != null;
    String name = nameToken.getText();
    Type t = host.lookupType(name);
    if (t == null) {
      diags.error(src, nameToken, "unknown type '" + name + "'"
          + Suggest.didYouMean(name, host.typeNames()));
      return Type.ERROR;
    }
    boolean object = t.kind() == Type.Kind.HOST || t.kind() == Type.Kind.CURSOR;
    if (struct && !object) {
      diags.error(src, nameToken, "'" + name + "' is not a struct type; write " + t.name());
      return Type.ERROR;
    }
    if (star && !object) {
      diags.error(src, nameToken, "pointers to " + name + " are not supported; write " + name);
      return Type.ERROR;
    }
    return t;
  }
}
