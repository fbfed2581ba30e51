package dev.lancet.ray;

import io.ray.api.Ray;
import io.ray.runtime.AbstractRayRuntime;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.logging.log4j.core.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops Ray for this JVM. With {@code lancet.ray.address} (system property) or {@code
 * RAY_ADDRESS} (environment) it joins that cluster: the driver's classpath is staged for the Java
 * workers ({@link CodeShipping}) and the workers get the driver's JVM flags. Without an address it
 * starts the embedded LOCAL mode (no processes, no cluster). In LOCAL mode Ray copies its native
 * library into a per-run session directory and never deletes it, so {@link #shutdown()} (and a JVM
 * shutdown hook) removes that directory.
 */
public final class RayRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(RayRuntime.class);
  private static Path localSessionDir;
  private static Path nativeLibDir;
  private static boolean hookInstalled;

  private RayRuntime() {}

  /** Starts Ray if it is not running yet. */
  public static synchronized void ensureStarted() {
    if (Ray.isInitialized()) {
      return;
    }
    String address = clusterAddress();
    boolean local = address == null;
    if (local) {
      if (System.getProperty("ray.run-mode") == null) {
        System.setProperty("ray.run-mode", "LOCAL");
      }
    } else {
      joinCluster(address);
    }
    if (local) {
      removeSessionsOfDeadProcesses();
    }
    java.util.Set<Path> numberedBefore = local ? java.util.Set.of() : numberedRayDirs();
    LoggerContext logging = LoggerContext.getContext(false);
    URI loggingConfig = logging.getConfigLocation();
    // Ray.init replaces a driver's whole log4j configuration with a console logger at INFO on
    // stdout (ray-runtime 2.39 LoggingUtil), unless it thinks it did so already: tell it so, and
    // the
    // application's logging is never touched (no window in which Spark's INFO lines reach stdout).
    boolean untouched = markRayLoggingDone();
    Ray.init();
    if (!untouched) {
      if (loggingConfig != null) {
        logging.setConfigLocation(loggingConfig);
      } else {
        logging.reconfigure();
      }
    }
    if (local) {
      // A failed LOCAL-mode task is raised to the backfill with its own message; Ray's executor
      // would also log it with a 20-line stack trace to the user's console.
      org.apache.logging.log4j.core.config.Configurator.setLevel(
          "io.ray.runtime.task.TaskExecutor", org.apache.logging.log4j.Level.OFF);
    }
    if (local
        && Ray.internal() instanceof AbstractRayRuntime runtime
        && runtime.getRayConfig().sessionDir != null) {
      localSessionDir = Path.of(runtime.getRayConfig().sessionDir);
    }
    if (!local) {
      // The numbered directory that appeared with this Ray.init and holds the native library is
      // ours.
      nativeLibDir =
          numberedRayDirs().stream()
              .filter(
                  d ->
                      !numberedBefore.contains(d)
                          && Files.exists(d.resolve("libcore_worker_library_java.so")))
              .findFirst()
              .orElse(null);
    }
    if (!hookInstalled) {
      Runtime.getRuntime().addShutdownHook(new Thread(RayRuntime::shutdown, "lancet-ray-shutdown"));
      hookInstalled = true;
    }
  }

  /**
   * Marks Ray's driver logging set up, so Ray.init leaves the application's alone; false if it
   * cannot.
   */
  private static boolean markRayLoggingDone() {
    try {
      java.lang.reflect.Field setup =
          io.ray.runtime.util.LoggingUtil.class.getDeclaredField("setup");
      setup.setAccessible(true);
      setup.setBoolean(null, true);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** The cluster to join, or null for the embedded LOCAL mode. */
  static String clusterAddress() {
    String address = System.getProperty("lancet.ray.address");
    if (address == null || address.isBlank()) {
      address = System.getenv("RAY_ADDRESS");
    }
    if (address == null || address.isBlank()) {
      address = System.getProperty("ray.address");
    }
    return address == null || address.isBlank() ? null : address.strip();
  }

  private static void joinCluster(String address) {
    System.setProperty("ray.address", address);
    System.setProperty("ray.run-mode", "CLUSTER");
    if (System.getProperty("ray.node-ip") == null
        && (address.startsWith("127.") || address.startsWith("localhost"))) {
      // A cluster on loopback: the driver must find its raylet there too, not on the first
      // interface.
      System.setProperty("ray.node-ip", "127.0.0.1");
    }
    if (System.getProperty("ray.job.code-search-path") == null) {
      java.util.Map<String, Path> staged =
          CodeShipping.stageEach(CodeShipping.driverClasspath(), codeDirectory());
      // Workers on this machine's nodes read the staged folder; every node gets the package below.
      System.setProperty("ray.job.code-search-path", CodeShipping.searchPath(staged));
      String codeUri = System.getProperty("lancet.ray.code-uri");
      if (codeUri == null || codeUri.isBlank()) {
        codeUri = WorkerCode.upload(address, staged, codeDirectory());
      }
      if ("none".equalsIgnoreCase(codeUri)) {
        codeUri = null; // the workers' jars are installed on every node
      }
      if (codeUri != null && System.getProperty("ray.job.runtime-env.jars.0") == null) {
        System.setProperty("ray.job.runtime-env.jars.0", codeUri);
      }
    }
    // Workers run the same code as the driver, so they need the same module openings (Arrow, FST).
    int i = 0;
    for (String arg :
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens")
          || arg.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
          || arg.startsWith("-Djdk.reflect")) {
        System.setProperty("ray.job.jvm-options." + i++, arg);
      }
    }
    LOG.info("joining Ray cluster at {}", address);
  }

  /**
   * Where the driver stages code for cluster workers ({@code lancet.ray.code-dir}, else a temp
   * directory).
   */
  static Path codeDirectory() {
    return Path.of(
        System.getProperty(
            "lancet.ray.code-dir",
            Path.of(System.getProperty("java.io.tmpdir"), "lancet-code").toString()));
  }

  /** The package of the workers' code on the cluster (a runtime_env java_jars URI), or null. */
  public static String workerCodeUri() {
    return isLocal() ? null : System.getProperty("ray.job.runtime-env.jars.0");
  }

  /** Whether this JVM runs Ray in the embedded LOCAL mode. */
  public static synchronized boolean isLocal() {
    return localSessionDir != null;
  }

  /** Stops Ray (if running) and deletes the LOCAL-mode session directory. */
  public static synchronized void shutdown() {
    if (Ray.isInitialized()) {
      Ray.shutdown();
    }
    if (nativeLibDir != null) {
      deleteRecursively(nativeLibDir);
      nativeLibDir = null;
    }
    if (localSessionDir != null) {
      deleteRecursively(localSessionDir);
      Path parent = localSessionDir.getParent();
      localSessionDir = null;
      deleteIfEmpty(parent);
    }
  }

  /**
   * Where Ray 2.39's Java runtime keeps LOCAL-mode sessions and a cluster driver's native library:
   * {@code /tmp/ray}, a literal in Ray's code whatever {@code java.io.tmpdir} says.
   */
  private static final Path RAY_DIR = Path.of("/tmp/ray");

  /**
   * A driver joining a cluster copies Ray's 32 MB native library into a directory of its own,
   * {@code /tmp/ray/<number>/}, and never deletes it. These are the numbered directories there now.
   */
  private static java.util.Set<Path> numberedRayDirs() {
    Path root = RAY_DIR;
    if (!Files.isDirectory(root)) {
      return java.util.Set.of();
    }
    try (var entries = Files.list(root)) {
      return entries
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .collect(java.util.stream.Collectors.toSet());
    } catch (IOException e) {
      return java.util.Set.of();
    }
  }

  /**
   * A JVM killed with -9 never runs its shutdown hook, so its LOCAL-mode session directory ({@code
   * session_local_mode_<time>_<pid>}) stays; remove those whose process is gone.
   */
  private static void removeSessionsOfDeadProcesses() {
    Path root = RAY_DIR;
    if (!Files.isDirectory(root)) {
      return;
    }
    try (var sessions = Files.list(root)) {
      for (Path session :
          sessions
              .filter(p -> p.getFileName().toString().startsWith("session_local_mode_"))
              .toList()) {
        String name = session.getFileName().toString();
        try {
          long pid = Long.parseLong(name.substring(name.lastIndexOf('_') + 1));
          if (ProcessHandle.of(pid).isEmpty()) {
            deleteRecursively(session);
          }
        } catch (NumberFormatException e) {
          // Not a name Ray makes: leave it.
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot list {}: {}", root, e.toString());
    }
  }

  private static void deleteIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // Not empty (another process's session) or not ours to delete: leave it.
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.warn("could not delete Ray session directory {}: {}", dir, e.toString());
    }
  }
}
