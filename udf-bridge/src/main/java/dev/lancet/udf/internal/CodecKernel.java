package dev.lancet.udf.internal;

import java.lang.invoke.MethodHandle;
import org.apache.arrow.vector.ValueVector;

/**
 * The general scalar loop: reads each input through a {@link Codec}, calls the UDF through a method
 * handle spread over an argument array, writes through the output codec. Used for types the
 * generated kernels do not cover (decimals, dates, timestamps, lists, maps, records), and every UDF
 * whose calls are retried ({@code on_error = 'retry'}) or timed ({@code timeout_ms}).
 */
final class CodecKernel implements ScalarKernel {
  private final MethodHandle call;
  private final Codec[] readers;
  private final boolean[] primitive;
  private final Codec writer;

  CodecKernel(MethodHandle call, Codec[] readers, boolean[] primitive, Codec writer) {
    this.call = call;
    this.readers = readers;
    this.primitive = primitive;
    this.writer = writer;
  }

  @Override
  public void run(KernelContext ctx, ValueVector[] in, ValueVector out, int rows) {
    Object[] args = new Object[readers.length];
    rows:
    for (int i = 0; i < rows; i++) {
      for (int k = 0; k < readers.length; k++) {
        Object v = readers[k].read(in[k], i);
        if (v == null && primitive[k]) {
          Codec.setNull(out, i);
          continue rows;
        }
        args[k] = v;
      }
      for (int attempt = 1; ; attempt++) {
        try {
          Object result =
              ctx.timeoutMillis() > 0
                  ? CallDeadline.call(call, ctx.udf, args, ctx.timeoutMillis())
                  : call.invokeExact(ctx.udf, args);
          // Inside the try: a value the column cannot hold (a decimal too wide, a fixed-size array
          // of the wrong length) fails its row under the error policy, with the row's inputs.
          writer.write(out, i, result);
          break;
        } catch (Throwable t) {
          if (ctx.retryAfter(t, attempt)) {
            continue;
          }
          ctx.failed(i, in, out, t, attempt);
          break;
        }
      }
    }
  }
}
