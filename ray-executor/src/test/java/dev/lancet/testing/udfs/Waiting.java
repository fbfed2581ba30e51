package dev.lancet.testing.udfs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * I/O-bound UDFs: each call waits 2 ms, as a request to a service would; calls and overlap are
 * counted.
 */
public final class Waiting {
  private Waiting() {}

  public static final AtomicLong CALLS = new AtomicLong();
  public static final AtomicInteger RUNNING = new AtomicInteger();
  public static final AtomicInteger MOST = new AtomicInteger();

  private static final ScheduledExecutorService SERVICE =
      Executors.newScheduledThreadPool(
          1,
          r -> {
            Thread t = new Thread(r, "waiting-test-service");
            t.setDaemon(true);
            return t;
          });

  public static void reset() {
    CALLS.set(0);
    RUNNING.set(0);
    MOST.set(0);
  }

  /** x * y after a blocking 2 ms wait. */
  public static class Blocking {
    public long call(int x, int y) throws InterruptedException {
      CALLS.incrementAndGet();
      MOST.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
      try {
        Thread.sleep(2);
        return (long) x * y;
      } finally {
        RUNNING.decrementAndGet();
      }
    }
  }

  /** x * y answered 2 ms later by a service thread. */
  public static class Async {
    public CompletableFuture<Long> call(int x, int y) {
      CALLS.incrementAndGet();
      MOST.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
      CompletableFuture<Long> answer = new CompletableFuture<>();
      SERVICE.schedule(
          () -> {
            RUNNING.decrementAndGet();
            answer.complete((long) x * y);
          },
          2,
          TimeUnit.MILLISECONDS);
      return answer;
    }
  }
}
