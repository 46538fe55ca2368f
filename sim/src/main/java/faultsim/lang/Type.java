package faultsim.lang;

/**
 * A type of the design language: the 64-bit integer every C integer alias means, {@code bool},
 * {@code void}, {@code dist} (a time distribution), or a host type that Java code defined with
 * {@link Host#defineType} (a kernel object such as {@code folio}) or {@link Host#cursorType} (an
 * iteration over host values, for {@code for x in ...}).
 *
 * <p>Types are compared by identity: each host type exists once per {@link Host}.
 */
public final class Type {
  /** What a type is. */
  public enum Kind {
    /** 64-bit signed integer: {@code int long pgoff_t loff_t vm_fault_t size_t unsigned long}. */
    INT,
    /** {@code true} / {@code false}. */
    BOOL,
    /** No value. */
    VOID,
    /** A distribution of times, {@link faultsim.engine.Dist}. */
    DIST,
    /** A host object (kernel object or lock) of a Java class. */
    HOST,
    /** A host cursor: {@link Cursor} values yielding elements of {@link #element()}. */
    CURSOR,
    /** The type of {@code NULL}: assignable to every host and cursor type. */
    NULL,
    /** The type of an expression that already had an error; matches anything. */
    ERROR
  }

  public static final Type INT = new Type(Kind.INT, "int", Long.class, null);
  public static final Type BOOL = new Type(Kind.BOOL, "bool", Boolean.class, null);
  public static final Type VOID = new Type(Kind.VOID, "void", Void.class, null);
  public static final Type DIST = new Type(Kind.DIST, "dist", faultsim.engine.Dist.class, null);
  static final Type NULL = new Type(Kind.NULL, "NULL", Object.class, null);
  static final Type ERROR = new Type(Kind.ERROR, "<error>", Object.class, null);

  private final Kind kind;
  private final String name;
  private final Class<?> javaClass;
  private final Type element;

  private Type(Kind kind, String name, Class<?> javaClass, Type element) {
    this.kind = kind;
    this.name = name;
    this.javaClass = javaClass;
    this.element = element;
  }

  static Type host(String name, Class<?> javaClass) {
    return new Type(Kind.HOST, name, javaClass, null);
  }

  static Type cursor(String name, Type element) {
    return new Type(Kind.CURSOR, name, Cursor.class, element);
  }

  public Kind kind() {
    return kind;
  }

  /** The name a design writes: {@code int}, {@code folio}, {@code pagecache_cursor}. */
  public String name() {
    return name;
  }

  /** The Java class of values: {@link Long}, {@link Boolean}, the host class, {@link Cursor}. */
  public Class<?> javaClass() {
    return javaClass;
  }

  /** For a cursor type, the type of the values it yields; otherwise null. */
  public Type element() {
    return element;
  }

  /** Whether values live in the interpreter's integer slots (INT and BOOL). */
  boolean isScalar() {
    return kind == Kind.INT || kind == Kind.BOOL;
  }

  /** Host objects, cursors and NULL: values that may be NULL and compared by identity. */
  boolean isReference() {
    return kind == Kind.HOST || kind == Kind.CURSOR || kind == Kind.NULL;
  }

  /** Whether a value of type {@code from} may be stored where this type is expected. */
  boolean accepts(Type from) {
    if (this == from || kind == Kind.ERROR || from.kind == Kind.ERROR) {
      return true;
    }
    return from.kind == Kind.NULL && (kind == Kind.HOST || kind == Kind.CURSOR);
  }

  /** How the type is spelt in a C declaration: {@code struct folio *} for host types. */
  String declaration() {
    return kind == Kind.HOST || kind == Kind.CURSOR ? "struct " + name + " *" : name;
  }

  @Override
  public String toString() {
    return name;
  }
}
