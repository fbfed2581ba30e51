package dev.lancet.udf.internal;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.types.JavaTypes;
import dev.lancet.udf.types.LancetType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

// Longer than 300 lines: one small codec per row of the type table, kept together so the table and
// its codecs are checked side by side.
/**
 * Moves one value between an Arrow vector slot and a Java object of one Java type, for every row of
 * the type table. This is the general path (one object per value); the scalar runner generates
 * specialised code instead for primitive, boxed and string signatures.
 */
public abstract class Codec {
  /** The value at row {@code i} as the Java type, or null. */
  public abstract Object read(ValueVector vector, int i);

  /** Writes {@code value} (null writes a null) at row {@code i}. */
  public abstract void write(ValueVector vector, int i, Object value);

  /** A codec between vectors of {@code type} and Java values of {@code javaType}. */
  public static Codec of(LancetType type, Type javaType) {
    if (type instanceof LancetType.Primitive || type instanceof LancetType.Decimal) {
      return new Scalar(JavaTypes.rawClass(javaType));
    }
    if (type instanceof LancetType.ArrayOf a) {
      return new ListCodec(
          of(a.element(), elementType(javaType)), JavaTypes.rawClass(javaType), -1);
    }
    if (type instanceof LancetType.FixedArray f) {
      return new ListCodec(
          of(f.element(), elementType(javaType)), JavaTypes.rawClass(javaType), f.size());
    }
    if (type instanceof LancetType.MapOf m) {
      return new MapCodec(
          of(m.value(), ((ParameterizedType) javaType).getActualTypeArguments()[1]));
    }
    if (type instanceof LancetType.StructOf s) {
      return new StructCodec(s, (Class<?>) javaType);
    }
    throw new UdfException("no codec for " + type);
  }

  private static Type elementType(Type javaType) {
    if (javaType instanceof Class<?> c && c.isArray()) {
      return c.getComponentType();
    }
    return ((ParameterizedType) javaType).getActualTypeArguments()[0];
  }

  /** The value of a scalar slot in its natural Java type (null for null). */
  static Object natural(ValueVector v, int i) {
    if (v.isNull(i)) {
      return null;
    }
    if (v instanceof IntVector x) return x.get(i);
    if (v instanceof BigIntVector x) return x.get(i);
    if (v instanceof Float8Vector x) return x.get(i);
    if (v instanceof Float4Vector x) return x.get(i);
    if (v instanceof VarCharVector x) return new String(x.get(i), StandardCharsets.UTF_8);
    if (v instanceof LargeVarCharVector x) return new String(x.get(i), StandardCharsets.UTF_8);
    if (v instanceof BitVector x) return x.get(i) != 0;
    if (v instanceof SmallIntVector x) return x.get(i);
    if (v instanceof TinyIntVector x) return x.get(i);
    if (v instanceof VarBinaryVector x) return x.get(i);
    if (v instanceof LargeVarBinaryVector x) return x.get(i);
    if (v instanceof DateDayVector x) return LocalDate.ofEpochDay(x.get(i));
    if (v instanceof DecimalVector x) return x.getObject(i);
    if (v instanceof TimeStampVector x) {
      ArrowType.Timestamp t = (ArrowType.Timestamp) x.getField().getType();
      Instant instant = instant(x.get(i), t.getUnit());
      return t.getTimezone() == null ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC) : instant;
    }
    throw new UdfException(
        "column '"
            + v.getName()
            + "' has Arrow type "
            + v.getField().getType()
            + ", which Lancet cannot read yet");
  }

  private static Instant instant(long value, TimeUnit unit) {
    return switch (unit) {
      case SECOND -> Instant.ofEpochSecond(value);
      case MILLISECOND -> Instant.ofEpochMilli(value);
      case MICROSECOND ->
          Instant.ofEpochSecond(
              Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1000);
      case NANOSECOND ->
          Instant.ofEpochSecond(
              Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
    };
  }

  static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
  }

  /**
   * Widens a natural value to the parameter's class as Java's widening primitive conversions do
   * (int to long, float or double; long to float or double; float to double; ...), boxed.
   */
  static Object widen(Object value, Class<?> target) {
    if (value == null || target.isInstance(value) || !(value instanceof Number n)) {
      return value;
    }
    Class<?> t = target.isPrimitive() ? boxed(target) : target;
    if (t == Long.class) return n.longValue();
    if (t == Integer.class) return n.intValue();
    if (t == Short.class) return n.shortValue();
    if (t == Byte.class) return n.byteValue();
    if (t == Double.class) return n.doubleValue();
    if (t == Float.class) return n.floatValue();
    return value;
  }

  static Class<?> boxed(Class<?> c) {
    return c == int.class
        ? Integer.class
        : c == long.class
            ? Long.class
            : c == double.class
                ? Double.class
                : c == float.class
                    ? Float.class
                    : c == boolean.class
                        ? Boolean.class
                        : c == short.class ? Short.class : c == byte.class ? Byte.class : c;
  }

  /** Scalars: booleans, numbers, strings, binary, dates, timestamps, decimals. */
  private static final class Scalar extends Codec {
    private final Class<?> javaClass;

    Scalar(Class<?> javaClass) {
      this.javaClass = javaClass;
    }

    @Override
    public Object read(ValueVector v, int i) {
      return widen(natural(v, i), javaClass);
    }

    @Override
    public void write(ValueVector v, int i, Object value) {
      if (value == null) {
        setNull(v, i);
        return;
      }
      if (v instanceof IntVector x) x.setSafe(i, (Integer) value);
      else if (v instanceof BigIntVector x) x.setSafe(i, (Long) value);
      else if (v instanceof Float8Vector x) x.setSafe(i, (Double) value);
      else if (v instanceof Float4Vector x) x.setSafe(i, (Float) value);
      else if (v instanceof VarCharVector x)
        x.setSafe(i, ((String) value).getBytes(StandardCharsets.UTF_8));
      else if (v instanceof BitVector x) x.setSafe(i, ((Boolean) value) ? 1 : 0);
      else if (v instanceof SmallIntVector x) x.setSafe(i, (Short) value);
      else if (v instanceof TinyIntVector x) x.setSafe(i, (Byte) value);
      else if (v instanceof VarBinaryVector x) x.setSafe(i, (byte[]) value);
      else if (v instanceof DateDayVector x)
        x.setSafe(i, Math.toIntExact(((LocalDate) value).toEpochDay()));
      else if (v instanceof TimeStampMicroTZVector x) x.setSafe(i, micros((Instant) value));
      else if (v instanceof TimeStampMicroVector x)
        x.setSafe(i, micros(((LocalDateTime) value).toInstant(ZoneOffset.UTC)));
      else if (v instanceof DecimalVector x) x.setSafe(i, fit((BigDecimal) value, x));
      else {
        throw new UdfException(
            "cannot write "
                + value.getClass().getName()
                + " into Arrow type "
                + v.getField().getType());
      }
    }

    private static BigDecimal fit(BigDecimal value, DecimalVector v) {
      BigDecimal scaled;
      try {
        scaled = value.setScale(v.getScale(), RoundingMode.UNNECESSARY);
      } catch (ArithmeticException e) {
        throw new UdfException(
            "value "
                + value
                + " has more than the "
                + v.getScale()
                + " decimal places of decimal("
                + v.getPrecision()
                + ","
                + v.getScale()
                + ")");
      }
      if (scaled.precision() > v.getPrecision()) {
        throw new UdfException(
            "value "
                + value
                + " does not fit decimal("
                + v.getPrecision()
                + ","
                + v.getScale()
                + ")");
      }
      return scaled;
    }
  }

  static void setNull(ValueVector v, int i) {
    if (v instanceof org.apache.arrow.vector.BaseFixedWidthVector f) {
      f.setNull(i);
    } else if (v instanceof org.apache.arrow.vector.BaseVariableWidthVector w) {
      w.setNull(i);
    } else if (v instanceof FixedSizeListVector l) {
      l.setNull(i);
    } else if (v instanceof ListVector l) {
      l.setNull(i);
    } else if (v instanceof StructVector s) {
      s.setNull(i);
    } else {
      throw new UdfException("cannot write a null into Arrow type " + v.getField().getType());
    }
  }

  /** Lists (variable or fixed size) as Java primitive arrays or Lists. */
  private static final class ListCodec extends Codec {
    private final Codec element;
    private final Class<?> javaClass;
    private final int fixedSize;

    ListCodec(Codec element, Class<?> javaClass, int fixedSize) {
      this.element = element;
      this.javaClass = javaClass;
      this.fixedSize = fixedSize;
    }

    @Override
    public Object read(ValueVector v, int i) {
      if (v.isNull(i)) {
        return null;
      }
      int start;
      int end;
      ValueVector data;
      if (v instanceof FixedSizeListVector f) {
        start = i * f.getListSize();
        end = start + f.getListSize();
        data = f.getDataVector();
      } else if (v instanceof ListVector l) {
        start = l.getElementStartIndex(i);
        end = l.getElementEndIndex(i);
        data = l.getDataVector();
      } else {
        throw new UdfException("column '" + v.getName() + "' is not a list");
      }
      int n = end - start;
      if (data instanceof org.apache.arrow.vector.BaseFixedWidthVector fixed
          && PrimitiveArrays.fits(javaClass, data)) {
        Object bulk = PrimitiveArrays.read(fixed, start, n, javaClass);
        if (bulk != null) {
          return bulk;
        }
        // a null element: the per-element loop below reports it
      }
      if (javaClass == float[].class) {
        float[] out = new float[n];
        for (int k = 0; k < n; k++) out[k] = (Float) nonNull(data, start + k, v);
        return out;
      }
      if (javaClass == double[].class) {
        double[] out = new double[n];
        for (int k = 0; k < n; k++)
          out[k] = (Double) widen(nonNull(data, start + k, v), Double.class);
        return out;
      }
      if (javaClass == int[].class) {
        int[] out = new int[n];
        for (int k = 0; k < n; k++)
          out[k] = (Integer) widen(nonNull(data, start + k, v), Integer.class);
        return out;
      }
      if (javaClass == long[].class) {
        long[] out = new long[n];
        for (int k = 0; k < n; k++) out[k] = (Long) widen(nonNull(data, start + k, v), Long.class);
        return out;
      }
      List<Object> out = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        out.add(element.read(data, start + k));
      }
      return out;
    }

    private Object nonNull(ValueVector data, int k, ValueVector list) {
      Object e = element.read(data, k);
      if (e == null) {
        throw new UdfException(
            "column '"
                + list.getName()
                + "' has a null element, which a "
                + javaClass.getSimpleName()
                + " cannot hold; use List<Float> (or List of the boxed type) to receive nulls");
      }
      return e;
    }

    @Override
    public void write(ValueVector v, int i, Object value) {
      if (value == null) {
        setNull(v, i);
        return;
      }
      int n =
          value instanceof List<?> list ? list.size() : java.lang.reflect.Array.getLength(value);
      if (fixedSize >= 0 && n != fixedSize) {
        throw new UdfException("returned " + n + " values for a fixed-size array of " + fixedSize);
      }
      int start;
      ValueVector data;
      if (v instanceof FixedSizeListVector f) {
        start = f.startNewValue(i);
        data = f.getDataVector();
      } else {
        ListVector l = (ListVector) v;
        start = l.startNewValue(i);
        data = l.getDataVector();
      }
      if (value instanceof List<?> list) {
        for (int k = 0; k < n; k++) {
          element.write(data, start + k, list.get(k));
        }
      } else if (PrimitiveArrays.fits(value, data)) {
        PrimitiveArrays.write((org.apache.arrow.vector.BaseFixedWidthVector) data, start, value, n);
      } else if (value instanceof float[] a) {
        Float4Vector d = (Float4Vector) data;
        for (int k = 0; k < n; k++) d.setSafe(start + k, a[k]);
      } else if (value instanceof double[] a) {
        Float8Vector d = (Float8Vector) data;
        for (int k = 0; k < n; k++) d.setSafe(start + k, a[k]);
      } else if (value instanceof int[] a) {
        IntVector d = (IntVector) data;
        for (int k = 0; k < n; k++) d.setSafe(start + k, a[k]);
      } else if (value instanceof long[] a) {
        BigIntVector d = (BigIntVector) data;
        for (int k = 0; k < n; k++) d.setSafe(start + k, a[k]);
      }
      if (v instanceof ListVector l) {
        l.endValue(i, n);
      }
    }
  }

  /** map&lt;string,T&gt; as Map&lt;String,T&gt; (insertion order kept). */
  private static final class MapCodec extends Codec {
    private final Codec value;

    MapCodec(Codec value) {
      this.value = value;
    }

    @Override
    public Object read(ValueVector v, int i) {
      if (v.isNull(i)) {
        return null;
      }
      MapVector m = (MapVector) v;
      StructVector entries = (StructVector) m.getDataVector();
      ValueVector keys = entries.getChildByOrdinal(0);
      ValueVector values = entries.getChildByOrdinal(1);
      Map<String, Object> out = new LinkedHashMap<>();
      for (int k = m.getElementStartIndex(i); k < m.getElementEndIndex(i); k++) {
        out.put((String) natural(keys, k), value.read(values, k));
      }
      return out;
    }

    @Override
    public void write(ValueVector v, int i, Object obj) {
      if (obj == null) {
        setNull(v, i);
        return;
      }
      MapVector m = (MapVector) v;
      StructVector entries = (StructVector) m.getDataVector();
      VarCharVector keys = (VarCharVector) entries.getChildByOrdinal(0);
      ValueVector values = entries.getChildByOrdinal(1);
      int start = m.startNewValue(i);
      int k = start;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) obj).entrySet()) {
        if (e.getKey() == null) {
          throw new UdfException(ErrorCode.LANCET_UDF_FAILED, "map keys must not be null");
        }
        entries.setIndexDefined(k);
        keys.setSafe(k, ((String) e.getKey()).getBytes(StandardCharsets.UTF_8));
        value.write(values, k, e.getValue());
        k++;
      }
      m.endValue(i, k - start);
    }
  }

  /** struct&lt;...&gt; as a Java record, component by component. */
  private static final class StructCodec extends Codec {
    private final Codec[] members;
    private final MethodHandle[] accessors;
    private final MethodHandle constructor;

    StructCodec(LancetType.StructOf type, Class<?> record) {
      RecordComponent[] rc = record.getRecordComponents();
      members = new Codec[rc.length];
      accessors = new MethodHandle[rc.length];
      Class<?>[] types = new Class<?>[rc.length];
      try {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        for (int k = 0; k < rc.length; k++) {
          members[k] = of(type.members().get(k).type(), rc[k].getGenericType());
          accessors[k] = lookup.unreflect(rc[k].getAccessor());
          types[k] = rc[k].getType();
        }
        constructor = lookup.unreflectConstructor(record.getDeclaredConstructor(types));
      } catch (ReflectiveOperationException e) {
        throw new UdfException(
            "record "
                + record.getName()
                + " must be public with a public canonical constructor: "
                + e,
            e);
      }
    }

    @Override
    public Object read(ValueVector v, int i) {
      if (v.isNull(i)) {
        return null;
      }
      StructVector s = (StructVector) v;
      Object[] args = new Object[members.length];
      for (int k = 0; k < members.length; k++) {
        args[k] = members[k].read(s.getChildByOrdinal(k), i);
      }
      try {
        return constructor.invokeWithArguments(args);
      } catch (Throwable t) {
        throw new UdfException(
            ErrorCode.LANCET_UDF_FAILED,
            "cannot build "
                + constructor.type().returnType().getName()
                + " from row "
                + i
                + ": "
                + t,
            t);
      }
    }

    @Override
    public void write(ValueVector v, int i, Object value) {
      if (value == null) {
        setNull(v, i);
        return;
      }
      StructVector s = (StructVector) v;
      s.setIndexDefined(i);
      for (int k = 0; k < members.length; k++) {
        Object member;
        try {
          member = accessors[k].invoke(value);
        } catch (Throwable t) {
          throw new UdfException(
              ErrorCode.LANCET_UDF_FAILED,
              "cannot read component " + k + " of " + value.getClass().getName() + ": " + t,
              t);
        }
        members[k].write(s.getChildByOrdinal(k), i, member);
      }
    }
  }
}
