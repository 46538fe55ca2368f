package faultsim.lang;

/**
 * The arguments of one primitive call as the interpreter holds them: integer and boolean
 * arguments in {@code long} slots (booleans 0/1), references in parallel {@code Object} slots,
 * argument {@code i} at slot {@code base + i} of both. A view over the interpreter's operand
 * stack, reused from call to call: valid only during the call it is given to, never to be kept.
 * Reading it does not box, which is why primitives on the fault path take one ({@link
 * Primitive.SlotImpl}, {@link Primitive.LongImpl}) rather than an {@code Object[]}.
 *
 * <pre>{@code
 * h.primitive("vma_address").params(vma, Type.INT).returns(Type.INT)
 *     .implLong((env, t, a) -> ((Vma) a.ref(0)).address(a.i(1))).add();
 * }</pre>
 */
public final class Args {
  /** Argument kinds, as {@link #kind} gives them. */
  public static final byte INT = 0;
  public static final byte BOOL = 1;
  public static final byte REF = 2;

  private byte[] kinds;
  private long[] ints;
  private Object[] refs;
  private int base;

  Args() {}

  /** Points this view at the arguments of kinds {@code kinds} from slot {@code base}. */
  void set(byte[] kinds, long[] ints, Object[] refs, int base) {
    this.kinds = kinds;
    this.ints = ints;
    this.refs = refs;
    this.base = base;
  }

  /**
   * A view over values passed as objects ({@link Long}, {@link Boolean}, references), for calls
   * made outside the interpreter (constant folding).
   */
  public static Args of(byte[] kinds, Object[] values) {
    long[] ints = new long[kinds.length];
    Object[] refs = new Object[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      switch (kinds[i]) {
        case INT -> ints[i] = (Long) values[i];
        case BOOL -> ints[i] = (Boolean) values[i] ? 1 : 0;
        default -> refs[i] = values[i];
      }
    }
    Args a = new Args();
    a.set(kinds, ints, refs, 0);
    return a;
  }

  /** The number of arguments. */
  public int count() {
    return kinds.length;
  }

  /** The kind of argument {@code i}: {@link #INT}, {@link #BOOL} or {@link #REF}. */
  public byte kind(int i) {
    return kinds[i];
  }

  /** The kinds of all arguments (the call site's array: not to be changed). */
  public byte[] kinds() {
    return kinds;
  }

  /** Integer argument {@code i} (a boolean as 0/1). */
  public long i(int n) {
    return ints[base + n];
  }

  /** Boolean argument {@code i}. */
  public boolean bool(int i) {
    return ints[base + i] != 0;
  }

  /** Reference argument {@code i} (a host object, a dist, a cursor, or null). */
  public Object ref(int i) {
    return refs[base + i];
  }

  /** Argument {@code i} as an object: a {@link Long}, a {@link Boolean} or the reference. */
  public Object boxed(int i) {
    return switch (kinds[i]) {
      case INT -> ints[base + i];
      case BOOL -> ints[base + i] != 0;
      default -> refs[base + i];
    };
  }

  /** Every argument as an object, in {@code into} (of {@link #count()} elements). */
  Object[] boxInto(Object[] into) {
    for (int i = 0; i < kinds.length; i++) {
      into[i] = boxed(i);
    }
    return into;
  }

  /** Every argument as an object, in a new array. */
  public Object[] toArray() {
    return boxInto(new Object[kinds.length]);
  }
}
