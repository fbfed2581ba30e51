package dev.lancet.spark.load;

import dev.lancet.backfill.BackfillResult;
import dev.lancet.backfill.VirtualColumns;
import dev.lancet.lance.DataFiles;
import dev.lancet.lance.Folders;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.ops.BackfillOptions;
import dev.lancet.spark.ops.ColumnBackfills;
import dev.lancet.spark.ops.VirtualColumnDef;
import dev.lancet.spark.ops.VirtualColumnRegistrar;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.UdfSpec;
import dev.lancet.udf.types.TypeStrings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Loads columns computed elsewhere into a table by key ({@code ALTER TABLE t LOAD COLUMNS (a, b)
 * FROM source KEY (id)}). The source's key and columns are staged once as a Lance dataset beside
 * the table, named by their content, and the columns become sibling columns computed by {@link
 * KeyLookupUdf} through the backfill engine: one column file per fragment, checkpointed, committed
 * as a backfill commits. The same content again is the same staging and the same version, so a
 * reload computes only rows the table gained since; a changed source is a new version, and every
 * row is loaded again. Rows whose key the source lacks read null.
 */
public final class ColumnLoads {
  private ColumnLoads() {}

  /** Where staged sources live, under the table's folder. */
  private static final String LOADS = "_lancet/loads";

  /**
   * Loads {@code columns} of {@code source} into {@code table} by {@code key}; {@code sourceName}
   * names the source in messages.
   */
  public static List<BackfillResult> load(
      ResolvedLanceTable table,
      List<String> columns,
      Dataset<Row> source,
      String sourceName,
      String key,
      BackfillOptions options,
      LancetConf conf) {
    List<String> have = Arrays.asList(source.columns());
    for (String c : concat(key, columns)) {
      if (!have.contains(c)) {
        throw new LancetException(
            ErrorCode.LANCET_COLUMN_NOT_FOUND,
            "LOAD COLUMNS: column '"
                + c
                + "' is not in "
                + sourceName
                + "; its columns are "
                + have);
      }
    }
    if (columns.contains(key)) {
      throw new LancetException(
          ErrorCode.LANCET_INVALID_OPTION, "LOAD COLUMNS: the key '" + key + "' is not loaded");
    }
    Dataset<Row> rows =
        source.select(concat(key, columns).stream().map(functions::col).toArray(Column[]::new));
    Column[] hashed = concat(key, columns).stream().map(functions::col).toArray(Column[]::new);
    Row stats =
        rows.agg(
                functions.count(functions.lit(1)),
                functions.countDistinct(functions.col(key)),
                functions.sum(functions.xxhash64(hashed).cast("decimal(38,0)")),
                functions.count(functions.col(key)))
            .first();
    long count = stats.getLong(0);
    long keys = stats.getLong(1);
    if (count != stats.getLong(3) || keys != count) {
      throw new LancetException(
          ErrorCode.LANCET_INVALID_OPTION,
          "LOAD COLUMNS: the key '"
              + key
              + "' must be unique and non-null in "
              + sourceName
              + ": "
              + count
              + " rows, "
              + keys
              + " distinct keys, "
              + (count - stats.getLong(3))
              + " null");
    }
    String identity = digest(count + "/" + stats.get(2) + "/" + rows.schema().json() + "/" + key);
    String staging = table.datasetUri() + "/" + LOADS + "/" + identity;
    Map<String, String> storage = table.storageOptions();
    org.apache.arrow.vector.types.pojo.Schema copy = stagedSchema(staging, storage);
    if (copy == null) {
      // Through the table's catalog, which holds its storage options (a path alone has none);
      // they stay out of the plan Spark's UI shows.
      rows.write()
          .format("lance")
          .option("catalog", table.catalog().name())
          .mode("errorifexists")
          .save(staging);
      try (org.lance.Dataset staged = LanceDatasets.open(staging, storage)) {
        copy = staged.getSchema();
      }
    }
    List<String> types = new ArrayList<>();
    for (String c : columns) {
      Field f = copy.findField(c);
      types.add(c + ":" + TypeStrings.of(f));
    }
    Map<String, String> lookup = new LinkedHashMap<>();
    lookup.put("staging", staging);
    lookup.put("key", key);
    lookup.put("columns", String.join(",", columns));
    lookup.put("identity", identity);
    VirtualColumnDef def =
        new VirtualColumnDef(
                columns.get(0),
                "struct<" + String.join(",", types) + ">",
                ColumnBackfills.LOOKUP_UDF,
                List.of(key),
                lookup)
            .asSiblings(columns);
    TableLocation location = new TableLocation(table.datasetUri(), table.storageOptions());
    Map<String, List<String>> groups = VirtualColumns.siblings(location);
    UdfSpec loaded = VirtualColumns.list(location).get(columns.get(0));
    String replaced = null; // the staged source a changed one replaces
    if (loaded == null) {
      VirtualColumnRegistrar.add(table, List.of(def), conf);
    } else if (!ColumnBackfills.LOOKUP_UDF.equals(loaded.className())
        || !columns.equals(groups.get(columns.get(0)))) {
      throw new LancetException(
          ErrorCode.LANCET_COLUMN_ALREADY_EXISTS,
          "LOAD COLUMNS "
              + columns
              + ": "
              + table.displayName()
              + " has column '"
              + columns.get(0)
              + "' already, not loaded with exactly these columns; drop it first");
    } else if (!identity.equals(loaded.options().get("identity"))) {
      VirtualColumnRegistrar.replace(table, def, conf); // a changed source: a new version
      replaced = loaded.options().get("staging");
    }
    List<BackfillResult> results = ColumnBackfills.load(table, columns.get(0), options, conf);
    if (replaced != null && !replaced.equals(staging)) {
      Folders.deleteQuietly(replaced, storage); // no loaded column reads it now
    }
    if (DataFiles.localPath(table.datasetUri()) != null) {
      dropUnused(table.datasetUri(), location); // and leftovers of loads that failed
    }
    return results;
  }

  /**
   * Deletes staged sources no loaded column uses any more (a source that changed since): no table
   * version refers to them, only the loaded columns' definitions do.
   */
  private static void dropUnused(String tableUri, TableLocation location) {
    java.util.Set<String> used = new java.util.HashSet<>();
    VirtualColumns.list(location)
        .values()
        .forEach(
            spec -> {
              if (ColumnBackfills.LOOKUP_UDF.equals(spec.className())) {
                used.add(spec.options().get("staging"));
              }
            });
    java.nio.file.Path loads =
        java.nio.file.Path.of(java.net.URI.create(asFileUri(tableUri + "/" + LOADS)));
    if (!java.nio.file.Files.isDirectory(loads)) {
      return;
    }
    try (java.util.stream.Stream<java.nio.file.Path> staged = java.nio.file.Files.list(loads)) {
      for (java.nio.file.Path p : staged.toList()) {
        if (!used.contains(tableUri + "/" + LOADS + "/" + p.getFileName())) {
          Folders.delete(p.toUri().toString(), Map.of());
        }
      }
    } catch (java.io.IOException e) {
      org.slf4j.LoggerFactory.getLogger(ColumnLoads.class)
          .warn("LOAD COLUMNS: could not remove unused staged sources: {}", e.toString());
    }
  }

  private static String asFileUri(String uri) {
    return uri.startsWith("file:") ? uri : java.nio.file.Path.of(uri).toUri().toString();
  }

  /** The schema of the copy staged at {@code uri}, or null when there is none to read yet. */
  private static org.apache.arrow.vector.types.pojo.Schema stagedSchema(
      String uri, Map<String, String> storage) {
    try (org.lance.Dataset d = LanceDatasets.open(uri, storage)) {
      d.countRows(); // readable, not only present
      return d.getSchema();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static List<String> concat(String key, List<String> columns) {
    List<String> all = new ArrayList<>();
    all.add(key);
    all.addAll(columns);
    return all;
  }

  private static String digest(String text) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
