package dev.lancet.testing.udfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * x * y, slowly, appending one line per call to the file named by the system property {@code
 * lancet.test.calls}: calls are counted across processes, a killed one included.
 */
public class SlowArea {
  public long call(int id, int x, int y) {
    try {
      Thread.sleep(40);
      Files.writeString(
          Path.of(System.getProperty("lancet.test.calls")),
          id + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return (long) x * y;
  }
}
