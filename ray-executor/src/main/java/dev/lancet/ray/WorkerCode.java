package dev.lancet.ray;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the code Lancet's Ray workers run (its own jars and their dependencies, not Spark's) to
 * every node of a cluster, shared file system or not: the jars are put in a folder of their own and
 * uploaded into the cluster's GCS as a Ray package ({@code gcs://_ray_pkg_<hash>.zip}, by Ray's own
 * Python packaging, which the Java API lacks), and the job's runtime environment lists it as {@code
 * java_jars}, so each node's runtime-env agent downloads it once and puts it on its Java workers'
 * class path. {@code lancet.ray.code-uri} names a package the user published instead (any URI Ray's
 * nodes can download: gcs://, https://, s3://); {@code lancet.ray.python} names the Python with
 * {@code ray} installed (default {@code python3}).
 */
final class WorkerCode {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerCode.class);
  private static final String ARTIFACTS = "/dev/lancet/ray/worker-artifacts.txt";
  private static final String SCRIPT = "/dev/lancet/ray/upload_code.py";

  private WorkerCode() {}

  /**
   * The workers' dependencies as (artifact id, classifier or null), from the build's list of
   * ray-executor's runtime closure. Matched by artifact, not version: the driver's build may have
   * resolved another version of the same library (Spark's netty, say), and that is the one its code
   * runs with.
   */
  static List<String[]> artifacts() {
    List<String[]> out = new ArrayList<>();
    try (InputStream in = WorkerCode.class.getResourceAsStream(ARTIFACTS)) {
      if (in == null) {
        return out;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] p = line.strip().split(" ")[0].split(":");
        // group:artifact:type:version:scope, or group:artifact:type:classifier:version:scope
        if (p.length == 5) {
          out.add(new String[] {p[1], null});
        } else if (p.length == 6) {
          out.add(new String[] {p[1], p[3]});
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * Whether a jar's file name is {@code <artifact>-<version>[-<classifier>].jar} of one of {@code
   * artifacts}.
   */
  static boolean isArtifact(String fileName, List<String[]> artifacts) {
    for (String[] a : artifacts) {
      String prefix = a[0] + "-";
      if (fileName.startsWith(prefix)
          && fileName.length() > prefix.length()
          && Character.isDigit(fileName.charAt(prefix.length()))
          && fileName.endsWith(".jar")
          && (a[1] == null ? true : fileName.endsWith("-" + a[1] + ".jar"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The classpath entries workers need: class folders (the project's own, in a build), Lancet's
   * jars (the bundle included) and the jars of the workers' dependencies; not Spark and its kin.
   */
  static List<String> workerEntries(java.util.Collection<String> classpath) {
    List<String[]> artifacts = artifacts();
    List<String> out = new ArrayList<>();
    for (String entry : classpath) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = Path.of(entry);
      String name = p.getFileName() == null ? "" : p.getFileName().toString();
      if (Files.isDirectory(p) || name.startsWith("lancet-") || isArtifact(name, artifacts)) {
        out.add(entry);
      }
    }
    return out;
  }

  /**
   * Uploads the workers' code (picked from the driver's {@code staged} class path entries) to the
   * cluster at {@code address}; returns its package URI, or null (with a warning saying what to do)
   * when Ray's Python is not there or the upload fails.
   */
  static String upload(String address, java.util.Map<String, Path> staged, Path codeDirectory) {
    try {
      List<Path> files =
          new ArrayList<>(
              new java.util.TreeSet<>(
                  workerEntries(staged.keySet()).stream().map(staged::get).toList()));
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      files.forEach(f -> sha.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8)));
      Path folder =
          codeDirectory.resolve("worker-" + HexFormat.of().formatHex(sha.digest(), 0, 12));
      if (!Files.isDirectory(folder)) {
        Path tmp =
            codeDirectory.resolve(folder.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.createDirectories(tmp);
        for (Path f : files) {
          try {
            Files.createLink(tmp.resolve(f.getFileName()), f);
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(f, tmp.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
          }
        }
        Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
      }
      Path script = codeDirectory.resolve("upload_code.py");
      try (InputStream in = WorkerCode.class.getResourceAsStream(SCRIPT)) {
        Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      }
      String python = System.getProperty("lancet.ray.python", "python3");
      long start = System.nanoTime();
      Path log = codeDirectory.resolve("upload-" + ProcessHandle.current().pid() + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  python,
                  script.toString(),
                  address,
                  folder.toString(),
                  System.getProperty("ray.node-ip", ""))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder.environment().put("RAY_USAGE_STATS_ENABLED", "0");
      Process p = builder.start();
      boolean done = p.waitFor(5, TimeUnit.MINUTES);
      if (!done) {
        p.destroyForcibly().waitFor();
      }
      List<String> output = Files.readAllLines(log);
      Files.deleteIfExists(log);
      String last = output.isEmpty() ? "" : output.get(output.size() - 1).strip();
      if (done && p.exitValue() == 0 && last.startsWith("gcs://")) {
        LOG.info(
            "workers' code ({} jars) is in the cluster's GCS as {} ({} ms)",
            files.size(),
            last,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return last;
      }
      LOG.warn(
          "cannot upload the workers' code to the Ray cluster with {} ({}); workers on nodes that"
              + " cannot read {} will not find Lancet's classes: set lancet.ray.python to a Python"
              + " with ray installed, or publish the jars yourself and set lancet.ray.code-uri",
          python,
          last,
          codeDirectory);
      return null;
    } catch (IOException e) {
      LOG.warn("cannot upload the workers' code to the Ray cluster: {}", e.toString());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
