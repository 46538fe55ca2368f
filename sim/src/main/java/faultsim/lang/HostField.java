package faultsim.lang;

import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A field of a host type that designs read as {@code obj->name} (and assign when
 * {@code setter} is not null); an int or bool field may have a getter of a {@code long}
 * ({@code longGetter}, a bool's 0 or 1), which the interpreter reads without boxing.
 */
record HostField(Type owner, String name, Type type, Function<Object, Object> getter,
    BiConsumer<Object, Object> setter, ToLongFunction<Object> longGetter)
    implements FieldAccess {

  @Override
  public boolean readsLong() {
    return longGetter != null;
  }

  @Override
  public long readLong(Object object, RunEnv env) {
    faultsim.machine.Speculation.readField(env.speculation(), object);
    return longGetter.applyAsLong(object);
  }

  @Override
  public boolean writable() {
    return setter != null;
  }

  @Override
  public Object read(Object object, RunEnv env) {
    faultsim.machine.Speculation.readField(env.speculation(), object);
    return getter.apply(object);
  }

  @Override
  public void write(Object object, Object value) {
    setter.accept(object, value);
  }
}
