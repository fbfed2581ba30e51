package dev.lancet.udf.internal;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.RowErrors;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.UdfSpec;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * An async UDF ({@code CompletionStage<T> call(...)}): its calls are started in row order, at most
 * {@code max_in_flight} outstanding, and the values written in row order once the batch's calls
 * have answered. A call that fails (throws, or its stage completes exceptionally) is tried again as
 * the retry policy says, after its backoff, without holding up the other calls; one without an
 * answer within {@code timeout_ms} fails with a {@link TimeoutException} and its stage is
 * cancelled. Under {@code on_error = 'fail'} no new call starts after a failure.
 */
public final class AsyncColumnUdf extends AbstractColumnUdf {
  private final MethodHandle spreadCall;
  private final Codec writer;

  public AsyncColumnUdf(UdfSpec spec, UdfSignature sig, Object instance) {
    super(spec, sig, instance);
    this.spreadCall =
        callHandle()
            .asSpreader(Object[].class, sig.inputParameters().size())
            .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
    this.writer = Codec.of(outputType, sig.valueType());
  }

  @Override
  @SuppressWarnings("unchecked")
  public FieldVector compute(
      VectorSchemaRoot input, String outputName, BufferAllocator allocator, RowErrors errors) {
    ValueVector[] in = RowCalls.inputs(spec, sig, input);
    int rows = input.getRowCount();
    FieldVector out = outputType.toField(outputName, true).createVector(allocator);
    CompletableFuture<RowCalls.Outcome>[] calls = new CompletableFuture[rows];
    try {
      out.setInitialCapacity(rows);
      out.allocateNew();
      Object[][] args = RowCalls.arguments(sig, in, rows);
      KernelContext ctx =
          new KernelContext(instance, spec.className(), spec.inputs(), errors, spec.errorPolicy());
      Semaphore slots = new Semaphore(spec.callsInFlight());
      AtomicBoolean failed = new AtomicBoolean();
      for (int i = 0; i < rows; i++) {
        if (args[i] == null) {
          continue;
        }
        if (errors == null && failed.get()) {
          for (int j = i; j < rows; j++) {
            args[j] = null; // not started: the batch fails at the first failed row
          }
          break;
        }
        slots.acquire();
        calls[i] =
            attempt(ctx, args[i], 1)
                .whenComplete(
                    (o, t) -> {
                      slots.release();
                      if (t != null || o.error() != null) {
                        failed.set(true);
                      }
                    });
      }
      RowCalls.Outcome[] outcomes = new RowCalls.Outcome[rows];
      for (int i = 0; i < rows; i++) {
        if (calls[i] != null) {
          outcomes[i] = calls[i].get();
        }
      }
      RowCalls.write(ctx, writer, in, out, args, outcomes, rows);
      out.setValueCount(rows);
      return out;
    } catch (InterruptedException e) {
      cancelAll(calls);
      out.close();
      Thread.currentThread().interrupt();
      throw new UdfException(
          ErrorCode.LANCET_UDF_FAILED,
          "UDF " + spec.className() + ": interrupted while waiting for its calls",
          e);
    } catch (ExecutionException e) {
      cancelAll(calls);
      out.close();
      throw new UdfException(
          ErrorCode.LANCET_UDF_FAILED,
          "UDF " + spec.className() + ": a call could not be awaited: " + e.getCause(),
          e.getCause());
    } catch (RuntimeException | Error e) {
      cancelAll(calls);
      out.close();
      throw e;
    }
  }

  /** Call {@code attempt} of one row; completes with its outcome, never exceptionally. */
  private CompletableFuture<RowCalls.Outcome> attempt(
      KernelContext ctx, Object[] args, int attempt) {
    CompletableFuture<Object> answer = start(args);
    long timeout = ctx.timeoutMillis();
    CompletableFuture<Object> awaited = answer;
    if (timeout > 0) {
      awaited = answer.copy().orTimeout(timeout, TimeUnit.MILLISECONDS);
      awaited.whenComplete(
          (v, t) -> {
            if (t instanceof TimeoutException) {
              answer.cancel(true); // no one waits for it any more
            }
          });
    }
    return awaited
        .handle(
            (value, thrown) -> {
              if (thrown == null) {
                return CompletableFuture.completedFuture(RowCalls.Outcome.ok(value, attempt));
              }
              Throwable error = unwrap(thrown, timeout);
              if (ctx.retries(error, attempt)) {
                return CompletableFuture.supplyAsync(
                        () -> null,
                        CompletableFuture.delayedExecutor(
                            ctx.waitMillis(attempt), TimeUnit.MILLISECONDS))
                    .thenCompose(x -> attempt(ctx, args, attempt + 1));
              }
              return CompletableFuture.completedFuture(RowCalls.Outcome.failed(error, attempt));
            })
        .thenCompose(Function.identity());
  }

  @SuppressWarnings("unchecked")
  private CompletableFuture<Object> start(Object[] args) {
    try {
      Object stage = spreadCall.invokeExact(instance, args);
      if (stage == null) {
        return CompletableFuture.failedFuture(
            new NullPointerException("call(...) returned null, not a CompletionStage"));
      }
      return ((CompletionStage<Object>) stage).toCompletableFuture();
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(t);
    }
  }

  private static Throwable unwrap(Throwable t, long timeout) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof TimeoutException && e.getMessage() == null) {
      return new TimeoutException("no answer within timeout_ms " + timeout);
    }
    return e;
  }

  private static void cancelAll(CompletableFuture<RowCalls.Outcome>[] calls) {
    for (CompletableFuture<RowCalls.Outcome> c : calls) {
      if (c != null) {
        c.cancel(true);
      }
    }
  }
}
