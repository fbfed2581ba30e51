package dev.lancet.udf.internal;

import dev.lancet.udf.ColumnUdf;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.UdfSpec;
import dev.lancet.udf.types.LancetType;
import dev.lancet.udf.types.TypeStrings;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

/**
 * What every runner holds: the spec, the class's shape, one instance and the output type; closing
 * ends the instance.
 */
abstract class AbstractColumnUdf implements ColumnUdf {
  protected final UdfSpec spec;
  protected final UdfSignature sig;
  protected final Object instance;
  protected final LancetType outputType;

  AbstractColumnUdf(UdfSpec spec, UdfSignature sig, Object instance) {
    this.spec = spec;
    this.sig = sig;
    this.instance = instance;
    this.outputType = TypeStrings.parse(spec.outputType());
  }

  /** A method handle on {@code call(...)}. */
  protected final MethodHandle callHandle() {
    try {
      return MethodHandles.publicLookup().unreflect(sig.call());
    } catch (IllegalAccessException e) {
      throw new UdfException(
          "UDF " + spec.className() + ": call(...) is not accessible: " + e.getMessage(), e);
    }
  }

  @Override
  public final UdfSpec spec() {
    return spec;
  }

  @Override
  public final void close() {
    if (instance instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new UdfException(
            ErrorCode.LANCET_UDF_FAILED, "UDF " + spec.className() + ": close() failed: " + e, e);
      }
    }
  }
}
