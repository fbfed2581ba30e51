package dev.lancet.udf.internal;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.UdfSpec;
import dev.lancet.udf.types.JavaTypes;
import dev.lancet.udf.types.LancetType;
import dev.lancet.udf.types.TypeStrings;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Parameter;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * What the row-at-a-time runners share: the input vectors checked against the parameters, each
 * row's arguments read up front (so calls can run on other threads while vectors are only read
 * here), and the outcomes written back in row order on the calling thread, failures through the
 * error policy in that order too.
 */
final class RowCalls {
  private RowCalls() {}

  /** What one row's call came to: a value, or what it threw the last time. */
  record Outcome(Object value, Throwable error, int attempts) {
    static Outcome ok(Object value, int attempts) {
      return new Outcome(value, null, attempts);
    }

    static Outcome failed(Throwable error, int attempts) {
      return new Outcome(null, error, attempts);
    }
  }

  /** The input vectors in parameter order, each checked against its parameter's type. */
  static ValueVector[] inputs(UdfSpec spec, UdfSignature sig, VectorSchemaRoot input) {
    List<Parameter> params = sig.inputParameters();
    ValueVector[] in = new ValueVector[params.size()];
    for (int k = 0; k < in.length; k++) {
      String column = spec.inputs().get(k);
      FieldVector v = input.getVector(column);
      if (v == null) {
        throw new UdfException(
            ErrorCode.LANCET_COLUMN_NOT_FOUND,
            "UDF "
                + spec.className()
                + ": input column '"
                + column
                + "' is not in the batch "
                + input.getSchema().getFields().stream().map(Field::getName).toList());
      }
      LancetType columnType = TypeStrings.of(v.getField());
      if (!JavaTypes.acceptsInput(columnType, params.get(k).getParameterizedType())) {
        throw new UdfException(
            "UDF "
                + spec.className()
                + ": column '"
                + column
                + "' of type "
                + columnType
                + " cannot be passed to parameter '"
                + params.get(k).getName()
                + "' ("
                + params.get(k).getParameterizedType().getTypeName()
                + ")");
      }
      in[k] = v;
    }
    return in;
  }

  /**
   * Each row's arguments; null for a row whose primitive parameter would get null (its value is
   * null).
   */
  static Object[][] arguments(UdfSignature sig, ValueVector[] in, int rows) {
    List<Parameter> params = sig.inputParameters();
    Codec[] readers = new Codec[in.length];
    boolean[] primitive = new boolean[in.length];
    for (int k = 0; k < in.length; k++) {
      readers[k] = Codec.of(TypeStrings.of(in[k].getField()), params.get(k).getParameterizedType());
      primitive[k] = params.get(k).getType().isPrimitive();
    }
    Object[][] args = new Object[rows][];
    rows:
    for (int i = 0; i < rows; i++) {
      Object[] a = new Object[in.length];
      for (int k = 0; k < in.length; k++) {
        a[k] = readers[k].read(in[k], i);
        if (a[k] == null && primitive[k]) {
          continue rows;
        }
      }
      args[i] = a;
    }
    return args;
  }

  /**
   * Calls the UDF on one row, trying again as the policy says (waiting on this thread); never
   * throws.
   */
  static Outcome call(KernelContext ctx, MethodHandle spreadCall, Object instance, Object[] args) {
    for (int attempt = 1; ; attempt++) {
      try {
        Object result =
            ctx.timeoutMillis() > 0
                ? CallDeadline.call(spreadCall, instance, args, ctx.timeoutMillis())
                : spreadCall.invokeExact(instance, args);
        return Outcome.ok(result, attempt);
      } catch (Throwable t) {
        if (!ctx.retryAfter(t, attempt)) {
          return Outcome.failed(t, attempt);
        }
      }
    }
  }

  /**
   * Writes the outcomes in row order: a row without arguments is null; a failed row (or a value the
   * column cannot hold) goes to the error policy, which throws for the first one or records it and
   * writes null.
   */
  static void write(
      KernelContext ctx,
      Codec writer,
      ValueVector[] in,
      ValueVector out,
      Object[][] args,
      Outcome[] outcomes,
      int rows) {
    for (int i = 0; i < rows; i++) {
      if (args[i] == null) {
        Codec.setNull(out, i);
        continue;
      }
      Outcome o = outcomes[i];
      if (o == null) {
        throw new IllegalStateException("row " + i + " was not computed");
      }
      if (o.error() != null) {
        ctx.failed(i, in, out, o.error(), o.attempts());
        continue;
      }
      try {
        writer.write(out, i, o.value());
      } catch (RuntimeException e) {
        ctx.failed(i, in, out, e, o.attempts());
      }
    }
  }
}
