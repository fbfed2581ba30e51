package dev.lancet.lance;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deletes of local files that nothing references any more (merged checkpoint parts), done on one
 * background thread of this JVM so a task need not wait for them: on a file system mounted with
 * online discard, deleting a 6 GB file takes ~0.7 s (the disk is told which blocks are free before
 * {@code unlink} returns), which a checkpointed 1M-row fragment paid at its end. Files in object
 * stores are deleted at once ({@link DataFiles#deleteQuietly}: one request). The JVM's exit waits
 * up to {@link #EXIT_WAIT} for what is queued; a file left then is unreferenced, as a killed run's
 * parts are.
 */
public final class DeferredDeletes {
  /** How long the JVM's exit waits for queued deletes. */
  static final Duration EXIT_WAIT = Duration.ofSeconds(30);

  private static final AtomicInteger PENDING = new AtomicInteger();
  private static final ExecutorService DELETER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "lancet-deferred-deletes");
            t.setDaemon(true);
            return t;
          });

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> awaitIdle(EXIT_WAIT), "lancet-deferred-deletes-exit"));
  }

  private DeferredDeletes() {}

  /** Deletes {@code uri} soon when it is on the local disk, else now. */
  public static void delete(String uri, Map<String, String> storageOptions) {
    if (DataFiles.localPath(uri) == null) {
      DataFiles.deleteQuietly(uri, storageOptions);
      return;
    }
    PENDING.incrementAndGet();
    try {
      DELETER.execute(
          () -> {
            try {
              DataFiles.deleteQuietly(uri, storageOptions);
            } finally {
              PENDING.decrementAndGet();
            }
          });
    } catch (RuntimeException rejected) {
      PENDING.decrementAndGet();
      DataFiles.deleteQuietly(uri, storageOptions);
    }
  }

  /** Waits until every queued delete is done, at most {@code limit}; returns whether they are. */
  public static boolean awaitIdle(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (PENDING.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return PENDING.get() == 0;
      }
    }
    return true;
  }
}
