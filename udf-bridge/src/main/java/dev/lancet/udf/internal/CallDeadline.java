package dev.lancet.udf.internal;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One UDF call with a time limit ({@code timeout_ms}): past the limit the calling thread is
 * interrupted (a call blocked on I/O or a sleep gives up), and a call that took longer fails with a
 * {@link TimeoutException} either way, so a row never waits longer than it may.
 */
final class CallDeadline {
  private static final ScheduledExecutorService ALARMS =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "lancet-udf-timeouts");
            t.setDaemon(true);
            return t;
          });

  private CallDeadline() {}

  static Object call(MethodHandle call, Object udf, Object[] args, long timeoutMillis)
      throws Throwable {
    Thread caller = Thread.currentThread();
    Object lock = new Object();
    boolean[] state = new boolean[2]; // [0] the call is over, [1] the alarm went off
    ScheduledFuture<?> alarm =
        ALARMS.schedule(
            () -> {
              synchronized (lock) {
                if (!state[0]) {
                  state[1] = true;
                  caller.interrupt();
                }
              }
            },
            timeoutMillis,
            TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    try {
      Object result = call.invokeExact(udf, args);
      if (System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
        throw timeout(start, timeoutMillis);
      }
      return result;
    } catch (InterruptedException e) {
      throw state[1] ? timeout(start, timeoutMillis) : e;
    } finally {
      synchronized (lock) {
        state[0] = true;
      }
      alarm.cancel(false);
      if (state[1]) {
        Thread.interrupted(); // the alarm's interrupt must not reach the next row
      }
    }
  }

  private static TimeoutException timeout(long start, long timeoutMillis) {
    return new TimeoutException(
        "the call took "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
            + " ms, more than timeout_ms "
            + timeoutMillis);
  }
}
