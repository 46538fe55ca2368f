package faultsim.lang;

import faultsim.workload.Suggest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/**
 * The state an extends chain declares, in C syntax: fields added to the modelled structs
 * ({@code struct address_space { struct rw_semaphore range_lock; };}), globals
 * ({@code DEFINE_SPINLOCK(global_fault_lock);}, {@code static atomic_t nr_spf;}) and
 * enumerators such as vmstat events ({@code DEFINE_VM_EVENT(SPECULATIVE_PGFAULT);}). Each design
 * of the chain sees what it and its bases declare; declaring a name twice, in one design or in
 * two of a chain, is an error.
 */
final class Declarations {
  /** The field attribute that puts a declared field on another field's cache line. */
  static final String SHARES_LINE = "__shares_line";

  private final Host host;
  private final Map<Type, Map<String, DeclaredVar>> fields = new LinkedHashMap<>();
  private final Map<Type, Integer> slotCounts = new LinkedHashMap<>();
  private final Map<String, DeclaredVar> globals = new LinkedHashMap<>();
  private final Map<String, Long> enumerators = new LinkedHashMap<>();
  private final Map<String, String> enumeratorWhere = new LinkedHashMap<>();
  private final Map<String, List<String>> enumeratorsByMacro = new LinkedHashMap<>();

  Declarations(Host host) {
    this.host = host;
  }

  /** Collects the declarations of one design of the chain (bases first). */
  void declare(DesignLevel level, Map<String, FunctionDecl> functions, Diagnostics diags) {
    DesignSource src = level.source;
    for (DesignParser.StructDeclContext s : src.tree().structDecl()) {
      String struct = s.name.getText();
      Host.Extensible ext = host.extensibleStruct(struct);
      if (ext == null) {
        diags.error(src, s.name, "designs cannot add fields to struct " + struct
            + "; they may add fields to struct "
            + String.join(", struct ", host.extensibleStructs())
            + Suggest.didYouMean(struct, host.extensibleStructs()));
        continue;
      }
      for (DesignParser.FieldDeclContext f : s.fieldDecl()) {
        field(src, ext, f, diags);
      }
    }
    for (DesignParser.GlobalDeclContext g : src.tree().globalDecl()) {
      Type t = declaredType(src, g.typeRef(), g.name, diags);
      if (t != null) {
        global(src, g.name, t, starOf(g.typeRef()), functions, diags);
      }
    }
    for (DesignParser.MacroDeclContext m : src.tree().macroDecl()) {
      macro(src, m, functions, diags);
    }
  }

  private void field(DesignSource src, Host.Extensible ext, DesignParser.FieldDeclContext f,
      Diagnostics diags) {
    String name = f.name.getText();
    Type owner = ext.type();
    Map<String, DeclaredVar> map = fields.computeIfAbsent(owner, k -> new LinkedHashMap<>());
    if (host.fieldOf(owner, name) != null) {
      diags.error(src, f.name, "struct " + ext.struct() + " already has a field '" + name
          + "' (the kernel model's); choose another name");
      return;
    }
    DeclaredVar earlier = map.get(name);
    if (earlier != null) {
      diags.error(src, f.name, "struct " + ext.struct() + " already has a field '" + name
          + "', declared at " + earlier.where());
      return;
    }
    Type t = declaredType(src, f.typeRef(), f.name, diags);
    if (t == null) {
      return;
    }
    boolean embedded = !starOf(f.typeRef()) && DeclaredVar.embeddable(t);
    FieldAccess shares = null;
    if (f.attr != null) {
      shares = sharedLine(src, ext, f, embedded, map, diags);
      if (shares == null) {
        return;
      }
    }
    int slot = slotCounts.merge(owner, 1, Integer::sum) - 1;
    map.put(name, new DeclaredVar(owner, name, t, slot, embedded,
        embedded ? DeclaredVar.lockKindOf(t) : null, "&" + ext.var() + "->" + name,
        where(src, f.name), ext.slots(), shares));
  }

  /**
   * The field named by {@code __shares_line(f)}: a lock, atomic or wait queue of the same struct,
   * the kernel model's or declared before; null (with an error) otherwise.
   */
  private FieldAccess sharedLine(DesignSource src, Host.Extensible ext,
      DesignParser.FieldDeclContext f, boolean embedded, Map<String, DeclaredVar> declared,
      Diagnostics diags) {
    if (!f.attr.getText().equals(SHARES_LINE)) {
      diags.error(src, f.attr, "unknown field attribute '" + f.attr.getText() + "'; expected "
          + SHARES_LINE + "(FIELD)" + Suggest.didYouMean(f.attr.getText(),
              List.of(SHARES_LINE)));
      return null;
    }
    if (!embedded) {
      diags.error(src, f.attr, SHARES_LINE + " needs a lock, atomic or wait queue; '"
          + f.name.getText() + "' is " + f.typeRef().getText());
      return null;
    }
    String other = f.shared.getText();
    FieldAccess target = host.fieldOf(ext.type(), other);
    if (target == null) {
      target = declared.get(other);
    }
    if (target == null) {
      Set<String> names = new LinkedHashSet<>(host.fieldNames(ext.type()));
      names.addAll(declared.keySet());
      diags.error(src, f.shared, "struct " + ext.struct() + " has no field '" + other
          + "' declared before this one" + Suggest.didYouMean(other, names));
      return null;
    }
    if (!DeclaredVar.embeddable(target.type())) {
      diags.error(src, f.shared, "'" + other + "' is a " + target.type().name()
          + ", not on a cache line of its own; " + SHARES_LINE
          + " names a lock, atomic or wait queue");
      return null;
    }
    return target;
  }

  private void global(DesignSource src, Token name, Type t, boolean star,
      Map<String, FunctionDecl> functions, Diagnostics diags) {
    String n = name.getText();
    if (!nameFree(src, name, functions, diags)) {
      return;
    }
    boolean embedded = !star && DeclaredVar.embeddable(t);
    globals.put(n, new DeclaredVar(null, n, t, globals.size(), embedded,
        embedded ? DeclaredVar.lockKindOf(t) : null, n, where(src, name), null, null));
  }

  private void macro(DesignSource src, DesignParser.MacroDeclContext m,
      Map<String, FunctionDecl> functions, Diagnostics diags) {
    String macro = m.macro.getText();
    Type t = host.globalMacro(macro);
    if (t != null) {
      global(src, m.name, t, false, functions, diags);
      return;
    }
    Long first = host.enumeratorMacro(macro);
    if (first == null) {
      Set<String> known = new LinkedHashSet<>(host.globalMacros().keySet());
      known.addAll(host.enumeratorMacros().keySet());
      diags.error(src, m.macro, "unknown declaration macro '" + macro + "'; expected one of "
          + String.join(", ", known) + Suggest.didYouMean(macro, known));
      return;
    }
    if (!nameFree(src, m.name, functions, diags)) {
      return;
    }
    List<String> names = enumeratorsByMacro.computeIfAbsent(macro, k -> new ArrayList<>());
    String n = m.name.getText();
    enumerators.put(n, first + names.size());
    enumeratorWhere.put(n, where(src, m.name));
    names.add(n);
  }

  private boolean nameFree(DesignSource src, Token name, Map<String, FunctionDecl> functions,
      Diagnostics diags) {
    String n = name.getText();
    String clash = null;
    if (host.constantValue(n) != null || host.globalNamed(n) != null) {
      clash = "a constant or global of the kernel model";
    } else if (!host.primitives(n).isEmpty()) {
      clash = "a primitive";
    } else if (functions.containsKey(n)) {
      clash = "a design function";
    } else if (globals.containsKey(n)) {
      clash = "a global declared at " + globals.get(n).where();
    } else if (enumerators.containsKey(n)) {
      clash = "declared at " + enumeratorWhere.get(n);
    } else if (Host.RESERVED.contains(n)) {
      clash = "reserved by the design language";
    }
    if (clash != null) {
      diags.error(src, name, "'" + n + "' is already " + clash);
      return false;
    }
    return true;
  }

  /** The declared type, or null after an error: void, dist and embedded structs are refused. */
  private Type declaredType(DesignSource src, DesignParser.TypeRefContext ref, Token name,
      Diagnostics diags) {
    Type t = TypeNames.resolve(ref, host, src, diags);
    if (t == Type.ERROR) {
      return null;
    }
    String n = name.getText();
    if (t.kind() == Type.Kind.VOID || t.kind() == Type.Kind.DIST
        || t.kind() == Type.Kind.CURSOR) {
      diags.error(src, ref.start, "'" + n + "' cannot be declared " + src.textOf(ref)
          + "; declare a lock, an atomic_t, an integer, a bool or a pointer to a struct");
      return null;
    }
    if (t.kind() == Type.Kind.HOST && !starOf(ref) && !DeclaredVar.embeddable(t)) {
      diags.error(src, ref.start, "a struct " + t.name() + " cannot be embedded; declare a"
          + " pointer: struct " + t.name() + " *" + n);
      return null;
    }
    return t;
  }

  private static boolean starOf(DesignParser.TypeRefContext ref) {
    if (ref instanceof DesignParser.StructTypeContext s) {
      return s.star != null;
    }
    return ref instanceof DesignParser.NamedTypeContext n && n.star != null;
  }

  private static String where(DesignSource src, Token t) {
    return src.diagnosticFile() + ":" + t.getLine() + ":" + (t.getCharPositionInLine() + 1);
  }

  // ---- lookups -----------------------------------------------------------------------------

  DeclaredVar field(Type owner, String name) {
    Map<String, DeclaredVar> map = fields.get(owner);
    return map == null ? null : map.get(name);
  }

  Collection<String> fieldNames(Type owner) {
    Map<String, DeclaredVar> map = fields.get(owner);
    return map == null ? List.of() : map.keySet();
  }

  /** Every declared field of every struct, in declaration order. */
  List<DeclaredVar> fields() {
    List<DeclaredVar> all = new ArrayList<>();
    for (Map<String, DeclaredVar> m : fields.values()) {
      all.addAll(m.values());
    }
    return all;
  }

  /** The size of an object's design-field storage for {@code owner}. */
  int slotCount(Type owner) {
    return slotCounts.getOrDefault(owner, 0);
  }

  DeclaredVar global(String name) {
    return globals.get(name);
  }

  Collection<DeclaredVar> globals() {
    return globals.values();
  }

  Long enumerator(String name) {
    return enumerators.get(name);
  }

  /** The names {@code macro} declared, in order (value = first + index). */
  List<String> enumerators(String macro) {
    return List.copyOf(enumeratorsByMacro.getOrDefault(macro, List.of()));
  }

  /** Every name a design may read besides locals and the host's: globals and enumerators. */
  Collection<String> valueNames() {
    List<String> names = new ArrayList<>(globals.keySet());
    names.addAll(enumerators.keySet());
    return names;
  }
}
