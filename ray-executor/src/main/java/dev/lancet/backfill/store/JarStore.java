package dev.lancet.backfill.store;

import dev.lancet.lance.Allocators;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.CodeIdentity;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The user's UDF jars of a table, content-addressed, in the Lance table {@code
 * <table>/_lancet/code} (one row per jar: SHA-256, file name, bytes): the channel every Ray node
 * can read, because every worker reads the table already, on a shared disk or an object store
 * alike. The driver publishes the session's jars before a backfill; a worker whose local cache (a
 * folder of its temp directory, one file per checksum) lacks a jar downloads it once and checks its
 * checksum, so a worker on a node that cannot see the driver's disk runs exactly the driver's code.
 */
public final class JarStore {
  private static final Schema SCHEMA =
      new Schema(
          List.of(
              Field.notNullable("sha256", ArrowType.Utf8.INSTANCE),
              Field.nullable("name", ArrowType.Utf8.INSTANCE),
              Field.nullable("bytes", ArrowType.Binary.INSTANCE)));

  /** (code table, checksum) pairs this JVM knows are published. */
  private static final Set<String> PUBLISHED = ConcurrentHashMap.newKeySet();

  private JarStore() {}

  static String uri(String datasetUri) {
    return InternalPaths.CODE.under(datasetUri);
  }

  /**
   * Publishes the jars (those not there yet) and returns them as the workers' {@link UdfCode}.
   * Synchronized: columns backfilled together publish at once, and none may hand workers a jar
   * another is still writing.
   */
  public static synchronized UdfCode publish(TableLocation location, List<Path> jars) {
    if (jars.isEmpty()) {
      return UdfCode.NONE;
    }
    InternalTable table = new InternalTable(InternalPaths.CODE.under(location), SCHEMA);
    List<UdfCode.Jar> out = new ArrayList<>();
    try (BufferAllocator allocator = Allocators.child("lancet-code")) {
      for (Path jar : jars) {
        String sha = CodeIdentity.sha256(jar);
        String name = jar.getFileName().toString();
        if (PUBLISHED.add(table.uri() + "|" + sha) && !present(table, sha, allocator)) {
          append(table, sha, name, Files.readAllBytes(jar), allocator);
        }
        out.add(new UdfCode.Jar(name, sha, table.uri()));
      }
    } catch (IOException e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR,
          e,
          "cannot publish the UDF jars to " + table.uri() + ": " + e.getMessage());
    }
    return new UdfCode(out);
  }

  /**
   * The code a job ran, for its record: each UDF jar by name and checksum (published ones as they
   * were, else the session's), and the workers' package in cluster mode.
   */
  public static List<String> describe(
      UdfCode published, List<Path> sessionJars, String workersUri) {
    List<String> out = new ArrayList<>();
    if (!published.jars().isEmpty()) {
      published.jars().forEach(j -> out.add(j.name() + " sha256:" + j.sha256()));
    } else {
      sessionJars.forEach(j -> out.add(j.getFileName() + " sha256:" + CodeIdentity.sha256(j)));
    }
    if (workersUri != null) {
      out.add("workers " + workersUri);
    }
    return out;
  }

  private static boolean present(InternalTable table, String sha, BufferAllocator allocator) {
    boolean[] found = {false};
    table.scan(
        "sha256 = " + InternalTable.literal(sha),
        allocator,
        root -> found[0] |= root.getRowCount() > 0);
    return found[0];
  }

  private static void append(
      InternalTable table, String sha, String name, byte[] bytes, BufferAllocator allocator) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      root.allocateNew();
      ((VarCharVector) root.getVector("sha256"))
          .setSafe(0, sha.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      ((VarCharVector) root.getVector("name"))
          .setSafe(0, name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      ((VarBinaryVector) root.getVector("bytes")).setSafe(0, bytes);
      root.getFieldVectors().forEach(v -> v.setValueCount(1));
      root.setRowCount(1);
      table.append(root, allocator);
    }
  }

  /**
   * Cached jars unused for a day go (a cache hit touches its file), so the cache does not grow
   * without bound.
   */
  private static void evictUnused(Path cache) {
    long cutoff = System.currentTimeMillis() - java.util.concurrent.TimeUnit.DAYS.toMillis(1);
    try (java.util.stream.Stream<Path> files = Files.list(cache)) {
      for (Path f : files.toList()) {
        try {
          if (Files.getLastModifiedTime(f).toMillis() < cutoff) {
            Files.deleteIfExists(f);
          }
        } catch (IOException e) {
          // another worker took it first
        }
      }
    } catch (IOException e) {
      // nothing to evict
    }
  }

  /**
   * A copy of the local jar {@code file} in this JVM's jar cache, under its checksum: what a class
   * loader of pinned code reads, so replacing the session's file later changes nothing it loads.
   */
  public static Path cached(Path file, String name, String sha256) {
    Path cache = cacheDir();
    Path target = cache.resolve(sha256 + "-" + name);
    try {
      if (Files.isRegularFile(target) && sha256.equals(CodeIdentity.sha256(target))) {
        return target;
      }
      Files.createDirectories(cache);
      Path tmp = Files.createTempFile(cache, sha256, ".tmp");
      Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
      return settle(
          tmp, target, sha256, actual -> "UDF jar " + file + " changed while it was pinned");
    } catch (IOException e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR,
          e,
          "cannot copy UDF jar " + file + " to " + cache + ": " + e.getMessage());
    }
  }

  /**
   * The jar as a local file on this worker, checked against its checksum: the cached copy, else
   * downloaded from the code table once.
   */
  public static Path fetch(UdfCode.Jar jar, Map<String, String> storageOptions) {
    Path cache = cacheDir();
    Path target = cache.resolve(jar.sha256() + "-" + jar.name());
    try {
      if (Files.isRegularFile(target) && jar.sha256().equals(CodeIdentity.sha256(target))) {
        Files.setLastModifiedTime(
            target, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        return target;
      }
      Files.createDirectories(cache);
      evictUnused(cache);
      byte[][] bytes = {null};
      try (BufferAllocator allocator = Allocators.child("lancet-code")) {
        new InternalTable(new TableLocation(jar.location(), storageOptions), SCHEMA)
            .scan(
                "sha256 = " + InternalTable.literal(jar.sha256()),
                allocator,
                root -> {
                  if (root.getRowCount() > 0 && bytes[0] == null) {
                    bytes[0] = ((VarBinaryVector) root.getVector("bytes")).get(0);
                  }
                });
      }
      if (bytes[0] == null) {
        throw new LancetException(
            ErrorCode.LANCET_STORAGE_ERROR,
            "UDF jar "
                + jar.name()
                + " (sha256 "
                + jar.sha256()
                + ") is not in the table's jar store "
                + jar.location()
                + "; register the column again (ALTER TABLE ... ALTER COLUMN ... SET UDF) in a"
                + " session that has the jar");
      }
      Path tmp = Files.createTempFile(cache, jar.sha256(), ".tmp");
      Files.write(tmp, bytes[0]);
      return settle(
          tmp,
          target,
          jar.sha256(),
          actual ->
              "UDF jar "
                  + jar.name()
                  + " from "
                  + jar.location()
                  + " has checksum "
                  + actual
                  + ", expected "
                  + jar.sha256());
    } catch (IOException e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR,
          e,
          "cannot fetch UDF jar " + jar.name() + " to " + cache + ": " + e.getMessage());
    }
  }

  /** This JVM's cache of UDF jars, each under {@code <sha256>-<name>}. */
  private static Path cacheDir() {
    return Path.of(System.getProperty("java.io.tmpdir"), "lancet-udf-jars");
  }

  /**
   * Moves a copy written to {@code tmp} to {@code target} when its bytes have the checksum, else
   * deletes it and fails with the message {@code mismatch} makes of the checksum it has.
   */
  private static Path settle(
      Path tmp, Path target, String sha256, java.util.function.Function<String, String> mismatch)
      throws IOException {
    String actual = CodeIdentity.sha256(tmp);
    if (!sha256.equals(actual)) {
      Files.deleteIfExists(tmp);
      throw new LancetException(ErrorCode.LANCET_STORAGE_ERROR, mismatch.apply(actual));
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }
}
