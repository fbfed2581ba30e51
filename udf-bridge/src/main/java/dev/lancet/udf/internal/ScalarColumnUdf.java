package dev.lancet.udf.internal;

import dev.lancet.udf.ColumnUdf;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.UdfRowException;
import dev.lancet.udf.UdfSpec;
import dev.lancet.udf.types.TypeStrings;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.StringJoiner;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Runs a scalar UDF row by row. The call goes through one method handle bound to the instance
 * and spread over an argument array, so there is no reflective lookup per row. A row with a null
 * input for a primitive parameter gets a null output without calling the UDF.
 */
public final class ScalarColumnUdf implements ColumnUdf {
  private final UdfSpec spec;
  private final Object instance;
  private final Class<?>[] parameterTypes;
  private final MethodHandle call;

  public ScalarColumnUdf(UdfSpec spec, Object instance, Method method) {
    this.spec = spec;
    this.instance = instance;
    this.parameterTypes = method.getParameterTypes();
    try {
      MethodHandle handle = MethodHandles.publicLookup().unreflect(method).bindTo(instance);
      this.call = handle.asSpreader(Object[].class, parameterTypes.length)
          .asType(MethodType.methodType(Object.class, Object[].class));
    } catch (IllegalAccessException e) {
      throw new UdfException("UDF " + spec.className() + ": call(...) is not accessible: " + e.getMessage(), e);
    }
  }

  @Override
  public UdfSpec spec() {
    return spec;
  }

  @Override
  public FieldVector compute(VectorSchemaRoot input, String outputName, BufferAllocator allocator) {
    int n = parameterTypes.length;
    ValueReader[] readers = new ValueReader[n];
    boolean[] primitive = new boolean[n];
    for (int i = 0; i < n; i++) {
      String column = spec.inputs().get(i);
      FieldVector vector = input.getVector(column);
      if (vector == null) {
        throw new UdfException("UDF " + spec.className() + ": input column '" + column + "' is not in the batch "
            + input.getSchema().getFields().stream().map(Field::getName).toList());
      }
      readers[i] = ValueReader.of(vector, parameterTypes[i], "UDF " + spec.className() + " parameter " + (i + 1));
      primitive[i] = parameterTypes[i].isPrimitive();
    }
    Field outField = new Field(outputName, FieldType.nullable(TypeStrings.parse(spec.outputType())), null);
    FieldVector out = outField.createVector(allocator);
    try {
      int rows = input.getRowCount();
      out.setInitialCapacity(rows);
      out.allocateNew();
      ValueWriter writer = ValueWriter.of(out);
      Object[] args = new Object[n];
      for (int row = 0; row < rows; row++) {
        boolean skip = false;
        for (int i = 0; i < n; i++) {
          Object v = readers[i].read(row);
          if (v == null && primitive[i]) {
            skip = true;
            break;
          }
          args[i] = v;
        }
        writer.write(row, skip ? null : invoke(args, row));
      }
      out.setValueCount(rows);
      return out;
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }

  private Object invoke(Object[] args, int row) {
    try {
      return call.invokeExact(args);
    } catch (Throwable t) {
      if (t instanceof Error err && !(t instanceof StackOverflowError)) {
        throw err;
      }
      StringJoiner values = new StringJoiner(", ");
      for (int i = 0; i < args.length; i++) {
        Object v = args[i];
        values.add(spec.inputs().get(i) + "=" + (v instanceof byte[] b ? Arrays.toString(b) : v));
      }
      throw new UdfRowException(spec.className(), row, values.toString(), t);
    }
  }

  @Override
  public void close() {
    if (instance instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new UdfException("UDF " + spec.className() + ": close() failed: " + e, e);
      }
    }
  }
}
