package dev.lancet.testing;

import dev.lancet.backfill.Backfill;
import dev.lancet.backfill.commit.CommitHooks;
import dev.lancet.ray.RayRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one backfill in a child JVM, for the crash tests: {@code BackfillMain <table> <column>
 * <batch size>}, with one worker and whole fragments unless {@code -Dlancet.test.concurrency} and
 * {@code -Dlancet.test.task-size} say otherwise. With {@code
 * -Dlancet.test.pause=beforeCommit|afterCommit} and {@code -Dlancet.test.marker=<file>} it stops at
 * that point of its first commit, writes the marker, and waits to be killed. Storage options for a
 * table on an object store come as {@code -Dlancet.test.storage.<key>=<value>}.
 */
public final class BackfillMain {
  private BackfillMain() {}

  public static void main(String[] args) {
    String pause = System.getProperty("lancet.test.pause");
    if (pause != null) {
      Path marker = Path.of(System.getProperty("lancet.test.marker"));
      CommitHooks.set(
          new CommitHooks.Hook() {
            @Override
            public void beforeCommit(List<Integer> fragmentIds) {
              if (pause.equals("beforeCommit")) {
                hold(marker);
              }
            }

            @Override
            public void afterCommit(List<Integer> fragmentIds, long version) {
              if (pause.equals("afterCommit")) {
                hold(marker);
              }
            }
          });
    }
    java.util.Map<String, String> storage = new java.util.HashMap<>();
    String prefix = "lancet.test.storage.";
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith(prefix))
        .forEach(k -> storage.put(k.substring(prefix.length()), System.getProperty(k)));
    Backfill.of(args[0], args[1])
        .storageOptions(storage)
        .batchSize(Integer.parseInt(args[2]))
        .concurrency(Integer.getInteger("lancet.test.concurrency", 1))
        .taskSize(Long.getLong("lancet.test.task-size", Integer.MAX_VALUE))
        .commitGranularity(100)
        .checkpointInterval(java.time.Duration.ZERO)
        .run();
    RayRuntime.shutdown();
  }

  private static void hold(Path marker) {
    try {
      Files.writeString(marker, "paused");
      Thread.sleep(600_000);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
