package dev.lancet.spark.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Another process holding an operating system lock on a file, as a second session's refresh does:
 * {@link #start} runs {@link #main} in a child JVM, which locks the file, writes who it is into it,
 * prints {@code locked} and then sleeps until it is killed.
 */
public final class FileLockHolder {
  private FileLockHolder() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Files.createDirectories(file.getParent());
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.lock();
      channel.write(
          java.nio.ByteBuffer.wrap("process of another session".getBytes(StandardCharsets.UTF_8)));
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  /** Starts the child holding {@code file}'s lock; returns once it holds it. */
  public static Process start(Path file) throws IOException {
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    FileLockHolder.class.getName(),
                    file.toString()))
            .redirectErrorStream(true)
            .start();
    String line =
        new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    if (!"locked".equals(line)) {
      p.destroyForcibly();
      throw new IOException("the lock holder did not start: " + line);
    }
    return p;
  }
}
