package dev.lancet.spark.functions;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.types.JavaTypes;
import dev.lancet.udf.types.LancetType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A 1:N UDF as a class: a public {@code call} whose return type is a {@code List<T>}, {@code
 * Iterable<T>} or {@code Collection<T>} of records (each one a derived row, its components the
 * columns) or of values (a derived row of one column, {@code value}). Each source row gives zero or
 * more derived rows; a null list gives none.
 *
 * @param udfClass the class
 * @param call its call method
 * @param rows the derived rows' columns
 * @param record whether the elements are records (else a value each)
 */
public record ExplodeUdf(Class<?> udfClass, Method call, StructType rows, boolean record) {

  /** The 1:N UDF {@code udfClass}; fails in one line when it is not one. */
  public static ExplodeUdf of(Class<?> udfClass) {
    Method call = null;
    for (Method m : udfClass.getMethods()) {
      if (m.getName().equals("call") && !Modifier.isStatic(m.getModifiers()) && !m.isBridge()) {
        if (call != null) {
          throw invalid(udfClass, "has more than one public call method");
        }
        call = m;
      }
    }
    if (call == null) {
      throw invalid(udfClass, "has no public call method");
    }
    Type element = elementType(call.getGenericReturnType());
    if (element == null) {
      throw invalid(
          udfClass,
          "returns "
              + call.getGenericReturnType().getTypeName()
              + "; a table function's call returns a List, Iterable or Collection of records or"
              + " values, one per derived row");
    }
    Class<?> raw = JavaTypes.rawClass(element);
    boolean record = raw != null && raw.isRecord();
    StructType rows;
    if (record) {
      List<StructField> fields = new ArrayList<>();
      for (RecordComponent c : raw.getRecordComponents()) {
        fields.add(
            DataTypes.createStructField(
                c.getName(), sparkType(c.getGenericType(), udfClass), true));
      }
      rows = DataTypes.createStructType(fields);
    } else {
      rows =
          DataTypes.createStructType(
              List.of(DataTypes.createStructField("value", sparkType(element, udfClass), true)));
    }
    return new ExplodeUdf(udfClass, call, rows, record);
  }

  /** The element type of a List, Iterable or Collection return type, or null. */
  private static Type elementType(Type returned) {
    if (returned instanceof ParameterizedType p
        && p.getRawType() instanceof Class<?> raw
        && Iterable.class.isAssignableFrom(raw)
        && p.getActualTypeArguments().length == 1) {
      return p.getActualTypeArguments()[0];
    }
    return null;
  }

  private static DataType sparkType(Type javaType, Class<?> udfClass) {
    LancetType type;
    try {
      type = JavaTypes.infer(javaType, udfClass.getName() + ".call's rows");
    } catch (RuntimeException e) {
      throw invalid(udfClass, e.getMessage());
    }
    return CatalystSqlParser$.MODULE$.parseDataType(type.toString());
  }

  /** The number of arguments {@code call} takes. */
  public int arity() {
    return call.getParameterCount();
  }

  /** Fails in one line when the class cannot take {@code options}. */
  public void checkOptions(Map<String, String> options) {
    boolean takesOptions;
    try {
      udfClass.getConstructor(Map.class);
      takesOptions = true;
    } catch (NoSuchMethodException e) {
      takesOptions = false;
    }
    if (!takesOptions && !options.isEmpty()) {
      throw invalid(udfClass, "takes no options (it has no constructor taking a Map)");
    }
    if (!takesOptions) {
      try {
        udfClass.getConstructor();
      } catch (NoSuchMethodException e) {
        throw invalid(udfClass, "has no public constructor taking nothing or a Map of options");
      }
    }
  }

  /** A new instance with {@code options}: its options constructor, else the no-argument one. */
  public Object instantiate(Map<String, String> options) {
    try {
      Object udf;
      try {
        udf = udfClass.getConstructor(Map.class).newInstance(options);
      } catch (NoSuchMethodException e) {
        checkOptions(options); // no options constructor: says why it cannot take these
        udf = udfClass.getConstructor().newInstance();
      }
      try {
        udfClass.getMethod("setup").invoke(udf);
      } catch (NoSuchMethodException e) {
        // no setup: nothing to prepare
      }
      return udf;
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new LancetException(
          ErrorCode.LANCET_UDF_FAILED,
          "table function " + udfClass.getName() + " could not be constructed: " + cause);
    }
  }

  static LancetException invalid(Class<?> udfClass, String what) {
    return new LancetException(
        ErrorCode.LANCET_UDF_INVALID, "table function " + udfClass.getName() + " " + what);
  }
}
