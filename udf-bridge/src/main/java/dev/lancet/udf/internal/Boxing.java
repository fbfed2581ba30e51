package dev.lancet.udf.internal;

import java.util.Map;

/** Primitive-to-wrapper mapping. */
final class Boxing {
  private Boxing() {}

  private static final Map<Class<?>, Class<?>> BOXES = Map.of(
      boolean.class, Boolean.class, byte.class, Byte.class, short.class, Short.class,
      int.class, Integer.class, long.class, Long.class, float.class, Float.class, double.class, Double.class);

  static Class<?> box(Class<?> c) {
    return c.isPrimitive() ? BOXES.get(c) : c;
  }
}
