package dev.lancet.udf.internal;

import dev.lancet.udf.RowErrors;
import dev.lancet.udf.UdfSpec;
import dev.lancet.udf.types.TypeStrings;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Runs a scalar UDF row by row through a kernel chosen once per input signature: a generated,
 * compiled loop where the types allow ({@link KernelCompiler}), the codec loop otherwise.
 */
public final class ScalarColumnUdf extends AbstractColumnUdf {
  private final MethodHandle spreadCall;
  private final Map<List<Class<?>>, ScalarKernel> kernels = new ConcurrentHashMap<>();

  public ScalarColumnUdf(UdfSpec spec, UdfSignature sig, Object instance) {
    super(spec, sig, instance);
    this.spreadCall =
        callHandle()
            .asSpreader(Object[].class, sig.inputParameters().size())
            .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
  }

  @Override
  public FieldVector compute(
      VectorSchemaRoot input, String outputName, BufferAllocator allocator, RowErrors errors) {
    ValueVector[] in = RowCalls.inputs(spec, sig, input);
    int rows = input.getRowCount();
    FieldVector out = outputType.toField(outputName, true).createVector(allocator);
    try {
      out.setInitialCapacity(rows);
      out.allocateNew();
      ScalarKernel kernel =
          kernels.computeIfAbsent(
              Arrays.stream(in).<Class<?>>map(Object::getClass).toList(),
              classes ->
                  retriesOrTimes()
                      ? codecKernel(in)
                      : KernelCompiler.compile(sig.call(), in, out)
                          .orElseGet(() -> codecKernel(in)));
      kernel.run(
          new KernelContext(instance, spec.className(), spec.inputs(), errors, spec.errorPolicy()),
          in,
          out,
          rows);
      out.setValueCount(rows);
      return out;
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }

  /**
   * Whether calls are retried or timed: the codec loop does both; the generated loops do neither.
   */
  private boolean retriesOrTimes() {
    return spec.errorPolicy().retries() || spec.errorPolicy().timeoutMillis() > 0;
  }

  private ScalarKernel codecKernel(ValueVector[] in) {
    List<Parameter> params = sig.inputParameters();
    Codec[] readers = new Codec[in.length];
    boolean[] primitive = new boolean[in.length];
    for (int k = 0; k < in.length; k++) {
      readers[k] = Codec.of(TypeStrings.of(in[k].getField()), params.get(k).getParameterizedType());
      primitive[k] = params.get(k).getType().isPrimitive();
    }
    return new CodecKernel(
        spreadCall, readers, primitive, Codec.of(outputType, sig.call().getGenericReturnType()));
  }
}
