package dev.lancet.spark.functions;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Function1;
import scala.collection.JavaConverters;

/**
 * Where a 1:N UDF runs, row by row, inside Spark's plan ({@code lancet_explode}): each task makes
 * its own instance of the UDF (its options constructor and {@code setup()}), calls it once per
 * source row and closes it ({@link AutoCloseable}) when the task ends, so an instance is never
 * shared between threads and nothing outlives the task. Spark calls {@link #call} through a
 * StaticInvoke expression.
 */
public final class ExplodeCalls {
  private ExplodeCalls() {}

  /** Each running task's prepared UDFs, by task attempt and definition. */
  private static final Map<String, Prepared> PREPARED = new ConcurrentHashMap<>();

  /** A UDF ready to call: its instance and the converters of its arguments and rows. */
  private record Prepared(
      ExplodeUdf udf,
      Object instance,
      Function1<Object, Object> arguments,
      Function1<Object, Object> rows,
      java.util.concurrent.atomic.AtomicInteger skips) {}

  /**
   * The derived rows of one source row, as Spark's internal rows.
   *
   * @param className the UDF class
   * @param optionsJson its options, as JSON
   * @param argumentsType the type of {@code arguments} (a struct, as DDL)
   * @param codeJson the pinned code the class loads from ({@link FunctionCode}, as JSON), or empty
   *     for the executor's class loader
   * @param skipped where a row the UDF fails on is recorded instead of failing the task (a view's
   *     {@code on_error = 'skip'}), or null
   * @param address the source row's address (a view's), or -1
   * @param arguments the call's arguments, one field each
   */
  public static ArrayData call(
      UTF8String className,
      UTF8String optionsJson,
      UTF8String argumentsType,
      UTF8String codeJson,
      SkippedRows skipped,
      long address,
      InternalRow arguments) {
    // No checked exception: Spark's generated code calls this and declares none.
    TaskContext task = TaskContext.get();
    String key =
        (task == null ? "driver" : task.taskAttemptId())
            + "/"
            + className
            + "/"
            + optionsJson
            + "/"
            + codeJson;
    Prepared prepared = task == null ? null : PREPARED.get(key);
    if (prepared == null) {
      prepared =
          prepare(
              className.toString(),
              optionsJson.toString(),
              argumentsType.toString(),
              FunctionCode.fromJson(codeJson.toString()));
      if (task != null) {
        PREPARED.put(key, prepared);
        Prepared done = prepared;
        task.addTaskCompletionListener(
            (org.apache.spark.util.TaskCompletionListener)
                context -> {
                  PREPARED.remove(key);
                  close(done);
                });
      }
    }
    try {
      return rowsOf(prepared, arguments, skipped, address);
    } finally {
      if (task == null) {
        close(prepared); // evaluated outside a task (a constant folded by the optimizer)
      }
    }
  }

  private static Prepared prepare(
      String className, String optionsJson, String argumentsType, FunctionCode code) {
    ClassLoader loader =
        code == null
            ? dev.lancet.backfill.PinnedCode.sessionLoader(
                className, Thread.currentThread().getContextClassLoader())
            : code.loader();
    Class<?> udfClass;
    try {
      udfClass = Class.forName(className, true, loader);
    } catch (ClassNotFoundException e) {
      throw new LancetException(
          ErrorCode.LANCET_UDF_NOT_FOUND,
          "table function "
              + className
              + (code == null
                  ? " is not on this executor's class path: add its jar to the session (--jars or"
                      + " ADD JAR)"
                  : " is not in the jars pinned with its view ("
                      + String.join(
                          ", ", code.jars().stream().map(dev.lancet.udf.PinnedJar::name).toList())
                      + ")"));
    }
    ExplodeUdf udf = ExplodeUdf.of(udfClass);
    Map<String, String> options = ExplodeFunction.readOptions(optionsJson);
    StructType argTypes = StructType.fromDDL(argumentsType);
    return new Prepared(
        udf,
        udf.instantiate(options),
        CatalystTypeConverters.createToScalaConverter(argTypes),
        CatalystTypeConverters.createToCatalystConverter(udf.rows()),
        new java.util.concurrent.atomic.AtomicInteger());
  }

  /**
   * The derived rows of one source row; when the UDF throws, none if {@code skipped} takes the row
   * (at {@code address}), else Lancet's one-line error with the row's inputs.
   */
  private static ArrayData rowsOf(
      Prepared p, InternalRow arguments, SkippedRows skipped, long address) {
    Row args = (Row) p.arguments().apply(arguments);
    Object[] values = new Object[args.length()];
    Class<?>[] types = p.udf().call().getParameterTypes();
    java.lang.reflect.Type[] generic = p.udf().call().getGenericParameterTypes();
    for (int i = 0; i < values.length; i++) {
      Object v = args.get(i);
      if (v == null && types[i].isPrimitive()) {
        return new GenericArrayData(new Object[0]); // a null input: no call, no rows
      }
      values[i] = javaValue(v, generic[i]);
    }
    Object result;
    try {
      result = p.udf().call().invoke(p.instance(), values);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call " + p.udf().call(), e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      String inputs = java.util.Arrays.toString(values);
      String error =
          "table function "
              + p.udf().udfClass().getName()
              + " failed on inputs "
              + inputs
              + ": "
              + cause;
      if (skipped == null) {
        throw new LancetException(ErrorCode.LANCET_UDF_FAILED, cause, error);
      }
      // Skipped: no derived rows; the inputs and error of a task's first rows go with the address.
      boolean details = p.skips().getAndIncrement() < SkippedRows.DETAILS_PER_TASK;
      skipped.add(address, details ? inputs : null, details ? error : null);
      return new GenericArrayData(new Object[0]);
    }
    if (result == null) {
      return new GenericArrayData(new Object[0]);
    }
    List<Object> rows = new ArrayList<>();
    for (Object element : (Iterable<?>) result) {
      Row row = p.udf().record() ? (Row) toRow(element) : RowFactory.create(plain(element));
      rows.add(p.rows().apply(row));
    }
    return new GenericArrayData(rows.toArray());
  }

  /**
   * An argument as the UDF's parameter type takes it: a struct as a record (a group's rows, e.g.
   * {@code collect_list(struct(frame, brightness))}, as {@code List<Frame>}), an array as a list,
   * each element so; other values as they are.
   */
  static Object javaValue(Object value, java.lang.reflect.Type type) {
    if (value == null) {
      return null;
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      java.lang.reflect.Type element =
          type instanceof java.lang.reflect.ParameterizedType pt
              ? pt.getActualTypeArguments()[0]
              : Object.class;
      List<Object> out = new ArrayList<>(seq.size());
      for (Object e : JavaConverters.seqAsJavaList(seq)) {
        out.add(javaValue(e, element));
      }
      return out;
    }
    if (value instanceof Row row && type instanceof Class<?> c && c.isRecord()) {
      RecordComponent[] components = c.getRecordComponents();
      Object[] fields = new Object[components.length];
      Class<?>[] raw = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        raw[i] = components[i].getType();
        Object field = row.get(row.fieldIndex(components[i].getName()));
        if (field == null && raw[i].isPrimitive()) {
          throw new LancetException(
              ErrorCode.LANCET_UDF_FAILED,
              "field '"
                  + components[i].getName()
                  + "' of "
                  + c.getSimpleName()
                  + " is a "
                  + raw[i]
                  + ", and the row's is null: make it a boxed type to take nulls");
        }
        fields[i] = javaValue(field, components[i].getGenericType());
      }
      try {
        java.lang.reflect.Constructor<?> canonical = c.getDeclaredConstructor(raw);
        canonical.setAccessible(true);
        return canonical.newInstance(fields);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot make a " + c.getName() + " of " + row, e);
      }
    }
    return value;
  }

  /** A record as a Row (nested records too), a list with its elements so; other values as are. */
  private static Object plain(Object value) {
    if (value == null) {
      return null;
    }
    if (value.getClass().isRecord()) {
      return toRow(value);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(e -> out.add(plain(e)));
      return out;
    }
    return value;
  }

  private static Object toRow(Object record) {
    if (record == null) {
      return null;
    }
    RecordComponent[] components = record.getClass().getRecordComponents();
    Object[] values = new Object[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        java.lang.reflect.Method accessor = components[i].getAccessor();
        accessor.setAccessible(true);
        values[i] = plain(accessor.invoke(record));
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read record " + record.getClass().getName(), e);
    }
    return RowFactory.create(values);
  }

  private static void close(Prepared p) {
    if (p.instance() instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(ExplodeCalls.class)
            .warn("closing table function {}: {}", p.udf().udfClass().getName(), e.toString());
      }
    }
  }
}
