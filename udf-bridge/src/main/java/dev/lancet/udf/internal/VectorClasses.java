package dev.lancet.udf.internal;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The vector class Arrow makes for a field, to check a batched UDF's signature against a column
 * type. An empty vector allocates nothing, so one allocator with no room serves every probe of the
 * JVM (none is created and thrown away per check).
 */
public final class VectorClasses {
  private static final BufferAllocator NONE = new RootAllocator(0);

  private VectorClasses() {}

  public static Class<?> of(Field field) {
    try (FieldVector probe = field.createVector(NONE)) {
      return probe.getClass();
    }
  }
}
