package dev.lancet.examples;

import java.util.Map;

/**
 * An I/O-bound feature, like fetching each row's file from a store: it waits {@code delay_ms}
 * (default 20) per row, as a network call would, and returns the "downloaded" size. For trying
 * cancellation, concurrency and progress without a network.
 */
public class SimulatedDownload {
  private final long delayMillis;

  public SimulatedDownload(Map<String, String> options) {
    this.delayMillis = Long.parseLong(options.getOrDefault("delay_ms", "20"));
  }

  public long call(String filename) throws InterruptedException {
    Thread.sleep(delayMillis);
    return 1024L * filename.length();
  }
}
