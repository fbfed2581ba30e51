package dev.lancet.testing.udfs;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * x * y, after failing the first {@code fail_times} calls for each id with a transient-looking
 * IOException. Calls are counted per {@code counter} option across instances (a later backfill's
 * workers see the earlier calls, as a flaky service would).
 */
public class Flaky {
  private static final Map<String, Integer> CALLS = new HashMap<>();
  private final int failTimes;
  private final String counter;

  public Flaky(Map<String, String> options) {
    this.failTimes = Integer.parseInt(options.getOrDefault("fail_times", "1"));
    this.counter = options.getOrDefault("counter", "default");
  }

  /** Forgets every counter: a test class that runs the same cases again starts from none. */
  public static void reset() {
    synchronized (CALLS) {
      CALLS.clear();
    }
  }

  public long call(int id, int x, int y) throws IOException {
    int n;
    synchronized (CALLS) {
      n = CALLS.merge(counter + "/" + id, 1, Integer::sum);
    }
    if (n <= failTimes) {
      throw new IOException("connection reset by peer (call " + n + " for id " + id + ")");
    }
    return (long) x * y;
  }
}
