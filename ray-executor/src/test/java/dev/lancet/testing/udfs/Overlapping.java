package dev.lancet.testing.udfs;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * x * y, 1 ms a row (sleeping, so it does not depend on cores), counting its calls and how many
 * workers were inside a call at once.
 */
public class Overlapping {
  public static final AtomicInteger CALLS = new AtomicInteger();
  public static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();
  private static final AtomicInteger INSIDE = new AtomicInteger();

  public static void reset() {
    CALLS.set(0);
    MOST_AT_ONCE.set(0);
  }

  public long call(int x, int y) throws InterruptedException {
    int now = INSIDE.incrementAndGet();
    MOST_AT_ONCE.accumulateAndGet(now, Math::max);
    try {
      Thread.sleep(1);
      CALLS.incrementAndGet();
      return (long) x * y;
    } finally {
      INSIDE.decrementAndGet();
    }
  }
}
