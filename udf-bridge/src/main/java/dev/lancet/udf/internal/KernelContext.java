package dev.lancet.udf.internal;

import dev.lancet.udf.ErrorPolicy;
import dev.lancet.udf.OnError;
import dev.lancet.udf.RowErrors;
import dev.lancet.udf.UdfRowException;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import org.apache.arrow.vector.ValueVector;

/**
 * What a kernel needs besides vectors: the UDF instance, and what to do when it throws on a row
 * (fail with the row's inputs, or record the error and write null).
 */
public final class KernelContext {
  /** The UDF instance, cast by the generated code. */
  public final Object udf;

  private final String udfClass;
  private final List<String> inputNames;
  private final RowErrors errors;
  private final ErrorPolicy policy;

  KernelContext(
      Object udf, String udfClass, List<String> inputNames, RowErrors errors, ErrorPolicy policy) {
    this.udf = udf;
    this.udfClass = udfClass;
    this.inputNames = inputNames;
    this.errors = errors;
    this.policy = policy;
  }

  /** The time a call may take (0: no limit). */
  long timeoutMillis() {
    return policy.timeoutMillis();
  }

  /**
   * Whether a row's call that threw {@code error} on call {@code attempt} is tried again (after the
   * backoff).
   */
  boolean retryAfter(Throwable error, int attempt) {
    return policy.onError() == OnError.RETRY
        && policy.retry().retries(error, attempt)
        && policy.retry().backoff(attempt);
  }

  /**
   * Whether a call that threw {@code error} on call {@code attempt} is one to try again (no
   * waiting).
   */
  boolean retries(Throwable error, int attempt) {
    return policy.onError() == OnError.RETRY && policy.retry().retries(error, attempt);
  }

  /** The wait before call {@code attempt + 1}, in milliseconds. */
  long waitMillis(int attempt) {
    return policy.retry().waitMillis(attempt);
  }

  /** Handles a throwing row: throws {@link UdfRowException}, or records it and nulls the output. */
  public void failed(int row, ValueVector[] in, ValueVector out, Throwable error) {
    failed(row, in, out, error, 1);
  }

  /** {@link #failed(int, ValueVector[], ValueVector, Throwable)} after {@code attempts} calls. */
  public void failed(int row, ValueVector[] in, ValueVector out, Throwable error, int attempts) {
    String values = describe(in, row);
    if (errors == null) {
      throw new UdfRowException(udfClass, row, values, error, attempts);
    }
    errors.add(row, values, error, attempts);
    Codec.setNull(out, row);
  }

  private String describe(ValueVector[] in, int row) {
    StringJoiner values = new StringJoiner(", ");
    for (int k = 0; k < in.length; k++) {
      Object v = in[k].isNull(row) ? null : Codec.natural(in[k], row);
      values.add(inputNames.get(k) + "=" + (v instanceof byte[] b ? Arrays.toString(b) : v));
    }
    return values.toString();
  }
}
