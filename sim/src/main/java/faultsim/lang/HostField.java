package faultsim.lang;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A field of a host type that designs read as {@code obj->name} (and assign when
 * {@code setter} is not null).
 */
record HostField(Type owner, String name, Type type, Function<Object, Object> getter,
    BiConsumer<Object, Object> setter) implements FieldAccess {

  @Override
  public boolean writable() {
    return setter != null;
  }

  @Override
  public Object read(Object object, RunEnv env) {
    return getter.apply(object);
  }

  @Override
  public void write(Object object, Object value) {
    setter.accept(object, value);
  }
}
