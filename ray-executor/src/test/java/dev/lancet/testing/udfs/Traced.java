package dev.lancet.testing.udfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A stateful UDF that leaves a trace readable from another process: one line per {@code setup()}
 * ("setup <pid>") and per row ("row <pid> <id>") in the file named by its {@code trace} option,
 * with an optional delay per row ({@code delay_ms}). With {@code die_at} its process halts at that
 * id (every time, or once when {@code die_once} names a marker file). For tests on a real cluster,
 * where the UDF runs in Ray's Java workers.
 */
public class Traced {
  private final Path trace;
  private final long delayMillis;
  private final int dieAt;
  private final Path diedOnce;

  public Traced(Map<String, String> options) {
    this.trace = Path.of(options.get("trace"));
    this.delayMillis = Long.parseLong(options.getOrDefault("delay_ms", "0"));
    this.dieAt = Integer.parseInt(options.getOrDefault("die_at", "-1"));
    this.diedOnce = options.containsKey("die_once") ? Path.of(options.get("die_once")) : null;
  }

  public void setup() {
    log("setup " + ProcessHandle.current().pid());
  }

  public long call(int id, int x, int y) {
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (id == dieAt && (diedOnce == null || !Files.exists(diedOnce))) {
      // The worker process dies as an OOM kill would take it: no cleanup, no exception.
      if (diedOnce != null) {
        log("died " + ProcessHandle.current().pid() + " " + id);
        try {
          Files.writeString(diedOnce, "died");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      Runtime.getRuntime().halt(137);
    }
    log("row " + ProcessHandle.current().pid() + " " + id);
    return (long) x * y;
  }

  private void log(String line) {
    try {
      Files.writeString(
          trace,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
