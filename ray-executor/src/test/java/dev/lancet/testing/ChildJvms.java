package dev.lancet.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Starts a main class in a child JVM (for the kill -9 tests): this JVM's class path, module flags
 * and Ray settings.
 */
public final class ChildJvms {
  private ChildJvms() {}

  /** Starts {@code main} with {@code -D} flags and arguments; its output goes to {@code log}. */
  public static Process start(Class<?> main, List<String> properties, List<String> args, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(
                a ->
                    a.startsWith("--add-opens")
                        || a.startsWith("-XX:+Ignore")
                        || a.startsWith("-Djdk.reflect")
                        || a.startsWith("-Dray.")
                        || a.startsWith("-Djava.io.tmpdir"))
            .toList());
    command.addAll(properties);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /**
   * Kills {@code child} with -9 once {@code ready} says so (checked every 20 ms, for 2 minutes at
   * most), then waits for it to end. Fails, with the child's {@code log}, when it ended or never
   * got ready before the kill: {@code what} says what it was to reach.
   */
  public static void killWhen(Process child, Path log, String what, Callable<Boolean> ready)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!ready.call() && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    boolean reached = ready.call();
    assertTrue(
        reached && child.isAlive(),
        "the child "
            + (reached ? "finished before it could be killed" : "did not reach " + what)
            + "; its output:\n"
            + (Files.exists(log) ? Files.readString(log) : ""));
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
  }
}
