package faultsim.lang;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The vocabulary designs are written in, as Java code defines it: host types (kernel objects and
 * locks), their fields, named constants, read-only globals and primitives. The kernel model binds
 * itself through this class; a design is checked against one host when it is loaded.
 *
 * <pre>{@code
 * Host host = Host.withCorePrimitives();
 * Type folio = host.defineType("folio", Folio.class);
 * host.field(folio, "index", Type.INT, o -> ((Folio) o).index());
 * host.constant("VM_FAULT_RETRY", 0x400);
 * host.primitive("filemap_get_folio").params(mapping, Type.INT).returns(folio)
 *     .implSlots((env, task, a) -> ((AddressSpace) a.ref(0)).folio(a.i(1))).add();
 * host.primitive("folio_put").params(folio)
 *     .impl((env, task, args) -> { ((Folio) args[0]).put(); return null; }).add();
 * }</pre>
 *
 * <p>A primitive's Java side takes its arguments one of three ways: {@code impl}, boxed in an
 * array ({@link Long}, {@link Boolean}, references); {@code implSlots}, read from the
 * interpreter's operand stack through {@link Args}, with no boxing; {@code implLong}, the same
 * for a primitive whose int or bool value is known at once, so that the value does not box
 * either. The interpreter picks the way once per call site. Primitives on hot paths with integer
 * arguments or values use the last two; for the others the interpreter reuses one array per
 * task and arity, so a call allocates nothing either way unless an integer argument is boxed.
 *
 * <p>A host is filled once, before designs are loaded, and then only read, so it may be shared by
 * runs on several threads.
 */
public final class Host {
  /** Names that designs use with a meaning of their own: keywords and special forms. */
  static final Set<String> RESERVED = Set.of("design", "extends", "struct", "unsigned", "if",
      "else", "while", "for", "in", "return", "break", "continue", "true", "false", "NULL",
      "super", "static", "wait_event", "READ_ONCE", "WRITE_ONCE");

  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*");

  private final Map<String, Type> types = new LinkedHashMap<>();
  private final Map<Type, Map<String, HostField>> fields = new LinkedHashMap<>();
  private final Map<String, Long> constants = new LinkedHashMap<>();
  private final Map<String, HostGlobal> globals = new LinkedHashMap<>();
  private final Map<String, List<Primitive>> primitives = new LinkedHashMap<>();
  private final Map<String, Extensible> extensible = new LinkedHashMap<>();
  private final Map<HostField, String> lockClasses = new LinkedHashMap<>();
  private final Map<Type, String> objectLockClasses = new LinkedHashMap<>();
  private final Map<String, Type> globalMacros = new LinkedHashMap<>();
  private final Map<String, Long> enumeratorMacros = new LinkedHashMap<>();
  private final Map<HostField, String> aliasGroups = new LinkedHashMap<>();
  private final Map<String, String> resultLockClasses = new LinkedHashMap<>();
  private String defaultSource;
  private int primitiveIds;

  /** Where the fields a design declares on objects of a host type are stored. */
  @FunctionalInterface
  public interface Slots {
    /** The object's design-field storage, at least {@code size} long (grown if needed). */
    Object[] of(Object object, int size);
  }

  /**
   * A host type designs may add fields to ({@code struct vm_area_struct { ... };}), under the
   * struct name {@code struct}; {@code var} is the variable name the kernel uses for such an
   * object, which names a declared lock's lockdep class ({@code &vma->vm_sequence}).
   */
  record Extensible(String struct, Type type, String var, Slots slots) {}

  /** A host with only the language's own types: the integer aliases, bool, void, dist. */
  public Host() {
    for (String alias : List.of("int", "long", "pgoff_t", "loff_t", "vm_fault_t", "size_t")) {
      types.put(alias, Type.INT);
    }
    types.put("bool", Type.BOOL);
    types.put("void", Type.VOID);
    types.put("dist", Type.DIST);
  }

  /**
   * A host with the core primitives: locks ({@code spin_lock}, {@code mutex_lock},
   * {@code down_read}, seqcounts, RCU, preemption), {@code wake_up_all}, {@code cpu},
   * {@code schedule_timeout}, {@code range} and the distributions {@code exp}, {@code uniform},
   * {@code lognormal}, {@code const}; lock types {@code spinlock_t}, {@code mutex},
   * {@code rw_semaphore}, {@code seqcount_t}, {@code wait_queue_head}.
   */
  public static Host withCorePrimitives() {
    Host h = new Host();
    CorePrimitives.addTo(h);
    return h;
  }

  /**
   * Defines a host type whose values are instances of {@code javaClass}.
   *
   * @throws IllegalArgumentException if the name is taken or not an identifier
   */
  public Type defineType(String name, Class<?> javaClass) {
    Objects.requireNonNull(javaClass, "javaClass");
    Type t = Type.host(name, javaClass);
    putType(name, t);
    return t;
  }

  /** Defines a cursor type yielding {@code element} values ({@link Cursor} objects). */
  public Type cursorType(String name, Type element) {
    if (element.kind() == Type.Kind.VOID || element.kind() == Type.Kind.NULL) {
      throw new IllegalArgumentException("a cursor cannot yield " + element);
    }
    Type t = Type.cursor(name, element);
    putType(name, t);
    return t;
  }

  /** Makes {@code alias} another name of {@code type} (e.g. {@code gfp_t} for int). */
  public void typeAlias(String alias, Type type) {
    putType(alias, Objects.requireNonNull(type, "type"));
  }

  /** Defines a read-only field {@code owner->name}. */
  public void field(Type owner, String name, Type type, Function<Object, Object> getter) {
    field(owner, name, type, getter, null);
  }

  /**
   * Defines a field {@code owner->name}; designs may assign it when {@code setter} is not null.
   * Integer fields' getters may return any {@link Number}; setters receive a {@link Long}.
   */
  public void field(Type owner, String name, Type type, Function<Object, Object> getter,
      BiConsumer<Object, Object> setter) {
    field(owner, name, type, getter, setter, null);
  }

  /**
   * Defines a read-only int field {@code owner->name} whose getter gives a {@code long}: designs
   * read it without boxing (fields on hot paths: addresses, indexes, flags).
   */
  public void intField(Type owner, String name, java.util.function.ToLongFunction<Object> getter) {
    Objects.requireNonNull(getter, "getter");
    field(owner, name, Type.INT, getter::applyAsLong, null, getter);
  }

  /**
   * An int field read as {@link #intField(Type, String, java.util.function.ToLongFunction)} that
   * designs may assign: {@code setter} receives a {@link Long}.
   */
  public void intField(Type owner, String name, java.util.function.ToLongFunction<Object> getter,
      BiConsumer<Object, Object> setter) {
    Objects.requireNonNull(getter, "getter");
    field(owner, name, Type.INT, getter::applyAsLong, setter, getter);
  }

  /**
   * Defines a read-only bool field {@code owner->name} that designs read without boxing, as 0 or
   * 1 (flags read at every step: a folio's {@code locked}, {@code uptodate}).
   */
  public void boolField(Type owner, String name, java.util.function.Predicate<Object> getter) {
    Objects.requireNonNull(getter, "getter");
    field(owner, name, Type.BOOL, getter::test, null, o -> getter.test(o) ? 1 : 0);
  }

  private void field(Type owner, String name, Type type, Function<Object, Object> getter,
      BiConsumer<Object, Object> setter, java.util.function.ToLongFunction<Object> longGetter) {
    if (owner.kind() != Type.Kind.HOST) {
      throw new IllegalArgumentException("fields belong to host types, not " + owner);
    }
    requireValueType(type);
    checkName(name);
    Objects.requireNonNull(getter, "getter");
    Map<String, HostField> map = fields.computeIfAbsent(owner, k -> new LinkedHashMap<>());
    if (map.putIfAbsent(name, new HostField(owner, name, type, getter, setter,
        longGetter)) != null) {
      throw new IllegalArgumentException(owner + "->" + name + " defined twice");
    }
  }

  /**
   * Lets designs declare fields of {@code type} under the struct name {@code struct} (a type
   * may be extensible under several names, as {@code address_space} and {@code inode}).
   */
  public void extensible(String struct, Type type, String var, Slots slots) {
    if (type.kind() != Type.Kind.HOST || types.get(struct) != type) {
      throw new IllegalArgumentException("'" + struct + "' is not the host type " + type);
    }
    checkName(var);
    extensible.put(struct, new Extensible(struct, type, var, Objects.requireNonNull(slots)));
  }

  /** Names the lockdep class of the lock in field {@code owner->name}, for the lock order. */
  public void lockClass(Type owner, String name, String className) {
    HostField f = fieldOf(owner, name);
    if (f == null) {
      throw new IllegalArgumentException(owner + " has no field " + name);
    }
    lockClasses.put(f, className);
  }

  /**
   * Declares fields of {@code owner} to be names of one lock in different kernel eras
   * ({@code mmap_sem}, {@code mmap_lock}); {@code note} says when it was renamed. A design may
   * use only one of them.
   */
  public void fieldAliases(Type owner, String note, String... names) {
    for (String n : names) {
      HostField f = fieldOf(owner, n);
      if (f == null) {
        throw new IllegalArgumentException(owner + " has no field " + n);
      }
      aliasGroups.put(f, note);
    }
  }

  /** The note of the alias group {@code field} belongs to, or null. */
  String aliasGroup(HostField field) {
    String note = aliasGroups.get(field);
    return note == null ? null : field.owner().name() + ":" + note;
  }

  String aliasNote(HostField field) {
    return aliasGroups.get(field);
  }

  /** Names the lockdep class of the lock primitive {@code name} returns ({@code pte_lockptr}). */
  public void resultLockClass(String primitive, String className) {
    resultLockClasses.put(primitive, className);
  }

  String resultLockClass(String primitive) {
    return resultLockClasses.get(primitive);
  }

  /** Names the lockdep class of an object that is itself a lock ({@code PG_locked}). */
  public void objectLockClass(Type type, String className) {
    objectLockClasses.put(type, className);
  }

  /**
   * Makes {@code macro(name);} at a design's top level declare a global {@code name} of
   * {@code type} ({@code DEFINE_SPINLOCK}, {@code DECLARE_RWSEM}).
   */
  public void globalMacro(String macro, Type type) {
    checkName(macro);
    globalMacros.put(macro, Objects.requireNonNull(type));
  }

  /**
   * Makes {@code macro(NAME);} at a design's top level declare a constant {@code NAME}, numbered
   * from {@code first} in declaration order along the extends chain ({@code DEFINE_VM_EVENT}).
   */
  public void enumeratorMacro(String macro, long first) {
    checkName(macro);
    enumeratorMacros.put(macro, first);
  }

  /** Defines an integer constant such as {@code VM_FAULT_RETRY}. */
  public void constant(String name, long value) {
    checkName(name);
    checkValueNameFree(name);
    constants.put(name, value);
  }

  /** Defines a read-only global whose value {@code value} computes once per run. */
  public void global(String name, Type type, Function<RunEnv, Object> value) {
    checkName(name);
    checkValueNameFree(name);
    requireValueType(type);
    globals.put(name, new HostGlobal(globals.size(), name, type, Objects.requireNonNull(value)));
  }

  /** Starts defining a primitive; finish with {@link Primitive.Builder#add()}. */
  public Primitive.Builder primitive(String name) {
    checkName(name);
    return new Primitive.Builder(this, name).source(defaultSource);
  }

  /** The kernel source file primitives defined from now on model, unless they say. */
  public void primitiveSource(String file) {
    this.defaultSource = file;
  }

  /** Every primitive, overloads together, in definition order. */
  public List<Primitive> allPrimitives() {
    List<Primitive> all = new ArrayList<>();
    primitives.values().forEach(all::addAll);
    return all;
  }

  /**
   * The type called {@code name}.
   *
   * @throws IllegalArgumentException if there is none
   */
  public Type type(String name) {
    Type t = types.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no type named '" + name + "'");
    }
    return t;
  }

  /** The primitives called {@code name} (overloads in definition order; empty if none). */
  public List<Primitive> primitives(String name) {
    return primitives.getOrDefault(name, List.of());
  }

  // ---- used by the compiler ----------------------------------------------------------------

  /** A new primitive's number ({@link Primitive#id}). */
  int nextPrimitiveId() {
    return primitiveIds++;
  }

  void register(Primitive p) {
    List<Primitive> list = primitives.computeIfAbsent(p.name(), k -> new ArrayList<>());
    for (Primitive q : list) {
      if (q.params().equals(p.params())) {
        throw new IllegalArgumentException("primitive " + p.signature() + " defined twice");
      }
    }
    list.add(p);
  }

  Type lookupType(String name) {
    return types.get(name);
  }

  Collection<String> typeNames() {
    return Collections.unmodifiableSet(types.keySet());
  }

  HostField fieldOf(Type owner, String name) {
    Map<String, HostField> map = fields.get(owner);
    return map == null ? null : map.get(name);
  }

  Collection<String> fieldNames(Type owner) {
    Map<String, HostField> map = fields.get(owner);
    return map == null ? List.of() : map.keySet();
  }

  Long constantValue(String name) {
    return constants.get(name);
  }

  HostGlobal globalNamed(String name) {
    return globals.get(name);
  }

  /** Every name a design may use as a value besides its locals: constants and globals. */
  Collection<String> valueNames() {
    List<String> names = new ArrayList<>(constants.keySet());
    names.addAll(globals.keySet());
    return names;
  }

  Extensible extensibleStruct(String struct) {
    return extensible.get(struct);
  }

  /** The struct names designs may add fields to. */
  public Collection<String> extensibleStructs() {
    return Collections.unmodifiableSet(extensible.keySet());
  }

  /** The lockdep class of the lock in {@code field}, or null. */
  String lockClassOf(HostField field) {
    return lockClasses.get(field);
  }

  /** The lockdep class of objects of {@code type} that are locks, or null. */
  String objectLockClass(Type type) {
    return objectLockClasses.get(type);
  }

  Type globalMacro(String macro) {
    return globalMacros.get(macro);
  }

  Map<String, Type> globalMacros() {
    return Collections.unmodifiableMap(globalMacros);
  }

  Long enumeratorMacro(String macro) {
    return enumeratorMacros.get(macro);
  }

  Map<String, Long> enumeratorMacros() {
    return Collections.unmodifiableMap(enumeratorMacros);
  }

  /** Every type name, alias or not, with its type, in definition order. */
  Map<String, Type> typeTable() {
    return Collections.unmodifiableMap(types);
  }

  /** The fields of {@code owner} the host defines, in definition order. */
  Collection<HostField> fields(Type owner) {
    Map<String, HostField> map = fields.get(owner);
    return map == null ? List.of() : map.values();
  }

  Map<String, Long> constants() {
    return Collections.unmodifiableMap(constants);
  }

  Collection<HostGlobal> globals() {
    return Collections.unmodifiableCollection(globals.values());
  }

  Collection<String> primitiveNames() {
    return Collections.unmodifiableSet(primitives.keySet());
  }

  private void putType(String name, Type t) {
    checkName(name);
    if (types.putIfAbsent(name, t) != null) {
      throw new IllegalArgumentException("type '" + name + "' defined twice");
    }
  }

  private void checkValueNameFree(String name) {
    if (constants.containsKey(name) || globals.containsKey(name)) {
      throw new IllegalArgumentException("'" + name + "' is already a constant or global");
    }
  }

  private static void requireValueType(Type type) {
    if (type == null || type.kind() == Type.Kind.VOID || type.kind() == Type.Kind.NULL
        || type.kind() == Type.Kind.ERROR) {
      throw new IllegalArgumentException("not a value type: " + type);
    }
  }

  private static void checkName(String name) {
    if (name == null || !IDENT.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not an identifier");
    }
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException("'" + name + "' is reserved by the design language");
    }
  }
}
