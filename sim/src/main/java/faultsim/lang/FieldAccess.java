package faultsim.lang;

/**
 * A field designs read as {@code obj->name}: one the host defines ({@link HostField}) or one a
 * design declares ({@link DeclaredVar}). The interpreter's {@code GETF}/{@code PUTF} use this.
 */
interface FieldAccess {
  Type owner();

  String name();

  Type type();

  /** Whether designs may assign it. */
  boolean writable();

  /** The field's value in {@code object}, during the run of {@code env}. */
  Object read(Object object, RunEnv env);

  /**
   * Whether {@link #readLong} gives the value (an int, or a bool as 0 or 1) without boxing it.
   */
  default boolean readsLong() {
    return false;
  }

  /** The field's value in {@code object} (a bool's as 0 or 1), when {@link #readsLong}. */
  default long readLong(Object object, RunEnv env) {
    throw new IllegalStateException(
        name() + " is read boxed: readLong called although readsLong() is false");
  }

  /** Stores {@code value} in {@code object}'s field. */
  void write(Object object, Object value);
}
