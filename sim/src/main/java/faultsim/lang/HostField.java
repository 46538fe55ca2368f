package faultsim.lang;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A field of a host type that designs read as {@code obj->name} (and assign when
 * {@code setter} is not null).
 */
record HostField(Type owner, String name, Type type, Function<Object, Object> getter,
    BiConsumer<Object, Object> setter) {

  boolean writable() {
    return setter != null;
  }
}
