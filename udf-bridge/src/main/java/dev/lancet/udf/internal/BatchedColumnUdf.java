package dev.lancet.udf.internal;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.RowErrors;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.UdfKind;
import dev.lancet.udf.UdfRowException;
import dev.lancet.udf.UdfSpec;
import dev.lancet.udf.types.LancetType;
import dev.lancet.udf.types.TypeStrings;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Runs a batched UDF (Arrow vectors in, a vector out) or a record-batch UDF (a {@code
 * VectorSchemaRoot} in). What it returns is checked before anyone uses it: not null, one value per
 * row, the declared type, and no nulls for a non-null column.
 */
public final class BatchedColumnUdf extends AbstractColumnUdf {
  private final MethodHandle call;

  public BatchedColumnUdf(UdfSpec spec, UdfSignature sig, Object instance) {
    super(spec, sig, instance);
    this.call =
        callHandle()
            .bindTo(instance)
            .asSpreader(Object[].class, sig.call().getParameterCount())
            .asType(MethodType.methodType(Object.class, Object[].class));
  }

  @Override
  public FieldVector compute(
      VectorSchemaRoot input, String outputName, BufferAllocator allocator, RowErrors errors) {
    int rows = input.getRowCount();
    List<FieldVector> inputs = new ArrayList<>();
    Object[] args = arguments(input, allocator, inputs);
    Object result = null;
    Throwable failure = null;
    int attempt = 0;
    while (true) {
      attempt++;
      try {
        result = call.invokeExact(args);
        failure = null;
        break;
      } catch (Throwable t) {
        if (t instanceof UdfException u) {
          throw u;
        }
        failure = t;
        if (!(spec.errorPolicy().onError() == dev.lancet.udf.OnError.RETRY
            && spec.errorPolicy().retry().retries(t, attempt)
            && spec.errorPolicy().retry().backoff(attempt))) {
          break;
        }
      }
    }
    if (failure != null) {
      Throwable t = failure;
      if (errors == null) {
        throw new UdfRowException(spec.className(), 0, "a batch of " + rows + " rows", t, attempt);
      }
      FieldVector nulls = outputType.toField(outputName, true).createVector(allocator);
      nulls.setInitialCapacity(rows);
      nulls.allocateNew();
      for (int i = 0; i < rows; i++) {
        errors.add(i, "", t, attempt);
        Codec.setNull(nulls, i);
      }
      nulls.setValueCount(rows);
      return nulls;
    }
    return checked(result, rows, inputs, outputName, allocator);
  }

  private Object[] arguments(
      VectorSchemaRoot input, BufferAllocator allocator, List<FieldVector> used) {
    Object[] args = new Object[sig.call().getParameterCount()];
    if (sig.kind() == UdfKind.RECORD_BATCH) {
      List<FieldVector> vectors = new ArrayList<>();
      for (String column : spec.inputs().isEmpty() ? names(input) : spec.inputs()) {
        vectors.add(vector(input, column));
      }
      used.addAll(vectors);
      // A view over the caller's vectors: not closed here, the caller owns them.
      VectorSchemaRoot view =
          new VectorSchemaRoot(
              vectors.stream().map(FieldVector::getField).toList(), vectors, input.getRowCount());
      for (int p = 0; p < args.length; p++) {
        args[p] = p == sig.allocatorIndex() ? allocator : view;
      }
      return args;
    }
    int k = 0;
    for (int p = 0; p < args.length; p++) {
      if (p == sig.allocatorIndex()) {
        args[p] = allocator;
        continue;
      }
      FieldVector v = vector(input, spec.inputs().get(k));
      Class<?> type = sig.inputParameters().get(k).getType();
      if (!type.isInstance(v)) {
        throw new UdfException(
            "UDF "
                + spec.className()
                + ": column '"
                + v.getName()
                + "' is read as a "
                + v.getClass().getSimpleName()
                + ", which cannot be passed to parameter '"
                + sig.inputParameters().get(k).getName()
                + "' ("
                + type.getSimpleName()
                + ")");
      }
      used.add(v);
      args[p] = v;
      k++;
    }
    return args;
  }

  private FieldVector checked(
      Object result,
      int rows,
      List<FieldVector> inputs,
      String outputName,
      BufferAllocator allocator) {
    if (result == null) {
      throw new UdfException(
          ErrorCode.LANCET_UDF_FAILED,
          "UDF " + spec.className() + " returned null instead of a vector");
    }
    FieldVector out = (FieldVector) result;
    if (inputs.stream().anyMatch(v -> v == out)) {
      // It returned an input vector, which the caller owns and will close: hand back a copy.
      return copy(out, rows, outputName, allocator);
    }
    try {
      if (out.getValueCount() != rows) {
        throw new UdfException(
            ErrorCode.LANCET_UDF_FAILED,
            "UDF "
                + spec.className()
                + " returned "
                + out.getValueCount()
                + " values for a batch of "
                + rows
                + " rows; a batched UDF must return one value per row");
      }
      LancetType actual = TypeStrings.of(out.getField());
      if (!actual.equals(outputType)) {
        throw new UdfException(
            ErrorCode.LANCET_UDF_FAILED,
            "UDF "
                + spec.className()
                + " returned a vector of type "
                + actual
                + " but the column's type is "
                + outputType);
      }
      if (!spec.nullable() && out.getNullCount() > 0) {
        throw new UdfException(
            ErrorCode.LANCET_UDF_FAILED,
            "UDF "
                + spec.className()
                + " returned "
                + out.getNullCount()
                + " null(s) for a non-null column (@Udf(nullable = false))");
      }
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  private FieldVector copy(
      FieldVector source, int rows, String outputName, BufferAllocator allocator) {
    FieldVector copy = outputType.toField(outputName, true).createVector(allocator);
    copy.setInitialCapacity(rows);
    copy.allocateNew();
    for (int i = 0; i < rows; i++) {
      copy.copyFromSafe(i, i, source);
    }
    copy.setValueCount(rows);
    return checked(copy, rows, List.of(), outputName, allocator);
  }

  private FieldVector vector(VectorSchemaRoot input, String column) {
    FieldVector v = input.getVector(column);
    if (v == null) {
      throw new UdfException(
          ErrorCode.LANCET_COLUMN_NOT_FOUND,
          "UDF "
              + spec.className()
              + ": input column '"
              + column
              + "' is not in the batch "
              + names(input));
    }
    return v;
  }

  private static List<String> names(VectorSchemaRoot input) {
    return input.getSchema().getFields().stream().map(Field::getName).toList();
  }
}
