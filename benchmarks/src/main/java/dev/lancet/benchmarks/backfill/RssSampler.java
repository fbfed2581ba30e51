package dev.lancet.benchmarks.backfill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Samples the resident memory of a process and all its descendants (Ray's worker processes of the
 * Python anchors count too) every 50 ms, from {@code /proc/<pid>/statm}, and keeps the peak.
 */
final class RssSampler implements AutoCloseable {
  private static final long PAGE = 4096;
  private final ProcessHandle root;
  private final AtomicLong peak = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  RssSampler(ProcessHandle root) {
    this.root = root;
    sample();
    this.thread =
        new Thread(
            () -> {
              while (running) {
                sample();
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "rss-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    long total;
    try (Stream<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants())) {
      total = tree.mapToLong(RssSampler::rss).sum();
    }
    peak.accumulateAndGet(total, Math::max);
  }

  private static long rss(ProcessHandle p) {
    try {
      String[] statm =
          Files.readString(Path.of("/proc/" + p.pid() + "/statm")).trim().split("\\s+");
      return Long.parseLong(statm[1]) * PAGE;
    } catch (IOException | RuntimeException e) {
      return 0; // the process ended between listing and reading
    }
  }

  long peakBytes() {
    sample();
    return peak.get();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
