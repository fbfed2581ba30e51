package dev.lancet.udf.internal;

import dev.lancet.udf.ColumnUdf;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.RowErrors;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.UdfSpec;
import dev.lancet.udf.types.LancetType;
import dev.lancet.udf.types.TypeStrings;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A scalar UDF with {@code max_in_flight} N above 1, for calls that wait (a web service, a
 * download): N threads each own one instance of the UDF (its own {@code setup()}, so the UDF need
 * not be thread-safe) and take the batch's rows in order from a shared counter. Values are written
 * in row order once the batch's calls are done; under {@code on_error = 'fail'} no new row starts
 * after a failure, and the failing row with the lowest index is the one reported.
 */
public final class ConcurrentScalarColumnUdf implements ColumnUdf {
  private final UdfSpec spec;
  private final UdfSignature sig;
  private final List<Object> instances;
  private final MethodHandle spreadCall;
  private final LancetType outputType;
  private final Codec writer;
  private final ExecutorService threads;

  public ConcurrentScalarColumnUdf(UdfSpec spec, UdfSignature sig, List<Object> instances) {
    this.spec = spec;
    this.sig = sig;
    this.instances = List.copyOf(instances);
    try {
      this.spreadCall =
          MethodHandles.publicLookup()
              .unreflect(sig.call())
              .asSpreader(Object[].class, sig.inputParameters().size())
              .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
    } catch (IllegalAccessException e) {
      throw new UdfException(
          "UDF " + spec.className() + ": call(...) is not accessible: " + e.getMessage(), e);
    }
    this.outputType = TypeStrings.parse(spec.outputType());
    this.writer = Codec.of(outputType, sig.valueType());
    AtomicInteger n = new AtomicInteger();
    String name = sig.udfClass().getSimpleName();
    this.threads =
        Executors.newFixedThreadPool(
            instances.size(),
            r -> {
              Thread t = new Thread(r, "lancet-udf-" + name + "-" + n.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public UdfSpec spec() {
    return spec;
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
      Object[][] args = RowCalls.arguments(sig, in, rows);
      RowCalls.Outcome[] outcomes = new RowCalls.Outcome[rows];
      KernelContext ctx =
          new KernelContext(
              instances.get(0), spec.className(), spec.inputs(), errors, spec.errorPolicy());
      AtomicInteger next = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      List<Callable<Void>> lanes = new ArrayList<>();
      for (int k = 0; k < Math.min(instances.size(), rows); k++) {
        Object instance = instances.get(k);
        lanes.add(
            () -> {
              for (int i = next.getAndIncrement();
                  i < rows && !stop.get();
                  i = next.getAndIncrement()) {
                if (args[i] != null) {
                  outcomes[i] = RowCalls.call(ctx, spreadCall, instance, args[i]);
                  if (errors == null && outcomes[i].error() != null) {
                    stop.set(true); // the batch fails: start no more calls
                  }
                }
              }
              return null;
            });
      }
      awaitAll(lanes, stop);
      if (stop.get()) {
        trimAfterFirstFailure(args, outcomes, rows);
      }
      RowCalls.write(ctx, writer, in, out, args, outcomes, rows);
      out.setValueCount(rows);
      return out;
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
  }

  private void awaitAll(List<Callable<Void>> lanes, AtomicBoolean stop) {
    try {
      for (Future<Void> f : threads.invokeAll(lanes)) {
        f.get();
      }
    } catch (InterruptedException e) {
      stop.set(true);
      Thread.currentThread().interrupt();
      throw new UdfException(
          ErrorCode.LANCET_UDF_FAILED,
          "UDF " + spec.className() + ": interrupted while its calls ran",
          e);
    } catch (ExecutionException e) {
      throw new UdfException(
          ErrorCode.LANCET_UDF_FAILED,
          "UDF " + spec.className() + ": a calling thread failed: " + e.getCause(),
          e.getCause());
    }
  }

  /** Rows after the first failed one may not have run; only the failure is reported. */
  private static void trimAfterFirstFailure(
      Object[][] args, RowCalls.Outcome[] outcomes, int rows) {
    boolean past = false;
    for (int i = 0; i < rows; i++) {
      if (past) {
        args[i] = null;
      } else if (outcomes[i] != null && outcomes[i].error() != null) {
        past = true;
      }
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
    UdfException failure = null;
    for (Object instance : instances) {
      if (instance instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          failure =
              failure == null
                  ? new UdfException(
                      ErrorCode.LANCET_UDF_FAILED,
                      "UDF " + spec.className() + ": close() failed: " + e,
                      e)
                  : failure;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
