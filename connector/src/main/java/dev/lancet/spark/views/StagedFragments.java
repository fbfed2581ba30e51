package dev.lancet.spark.views;

import dev.lancet.lance.Allocators;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.SparkSession;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.FragmentOperation;
import org.lance.WriteParams;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * A refresh's changed source fragments, copied through Lance (only their rows, only the columns the
 * view reads, with each row's source address) into a small Lance dataset beside the view, which the
 * view's query reads in place of the source. lance-spark would scan every fragment of the source to
 * find them; Lance reads just these. Deleted when closed.
 */
final class StagedFragments implements AutoCloseable {
  /** The staged copy's column holding each row's address in the source. */
  static final String SOURCE_ADDRESS = "__lancet_source_row";

  private final SparkSession spark;
  private final Path folder;
  private final String relation;
  private final long rows;

  private StagedFragments(SparkSession spark, Path folder, String relation, long rows) {
    this.spark = spark;
    this.folder = folder;
    this.relation = relation;
    this.rows = rows;
  }

  /**
   * Copies the rows of fragments {@code fragmentIds} of {@code sourceUri} at {@code version}, with
   * {@code columns}, under {@code viewPath}'s {@code _lancet/staging/}, and names the copy as a
   * temporary view of the session.
   */
  static StagedFragments of(
      SparkSession spark,
      String sourceUri,
      long version,
      List<Integer> fragmentIds,
      List<String> columns,
      Path viewPath) {
    Path folder =
        viewPath.resolve("_lancet").resolve("staging").resolve(UUID.randomUUID() + ".lance");
    String uri = folder.toString();
    long rows = 0;
    try (BufferAllocator allocator = Allocators.child("lancet-view-staging");
        Dataset source = LanceDatasets.open(sourceUri, Map.of(), version)) {
      ScanOptions options =
          new ScanOptions.Builder()
              .fragmentIds(fragmentIds)
              .columns(columns)
              .withRowAddress(true)
              .build();
      List<FragmentMetadata> written = new ArrayList<>();
      Schema schema = null;
      WriteParams params = new WriteParams.Builder().build();
      try (LanceScanner scanner = source.newScan(options);
          ArrowReader reader = scanner.scanBatches()) {
        while (reader.loadNextBatch()) {
          VectorSchemaRoot batch = reader.getVectorSchemaRoot();
          if (batch.getRowCount() == 0) {
            continue;
          }
          try (BigIntVector addresses = addressesOf(batch, allocator)) {
            List<FieldVector> vectors = new ArrayList<>();
            for (String c : columns) {
              vectors.add(batch.getVector(c));
            }
            vectors.add(addresses);
            VectorSchemaRoot staged =
                new VectorSchemaRoot(
                    vectors.stream().map(FieldVector::getField).toList(),
                    vectors,
                    batch.getRowCount());
            schema = staged.getSchema();
            written.addAll(Fragment.create(uri, allocator, staged, params));
            rows += batch.getRowCount();
          }
        }
      }
      if (schema == null) {
        return new StagedFragments(spark, folder, null, 0);
      }
      Dataset.create(allocator, uri, schema, params).close();
      new FragmentOperation.Append(written)
          .commit(allocator, uri, Optional.of(1L), Map.of())
          .close();
    } catch (LancetException e) {
      throw e;
    } catch (Exception e) {
      deleteQuietly(folder);
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR,
          "cannot stage fragments " + fragmentIds + " of " + sourceUri + ": " + e.getMessage());
    }
    String relation = "lancet_refresh_" + UUID.randomUUID().toString().replace("-", "");
    spark.read().format("lance").load(uri).createOrReplaceTempView(relation);
    return new StagedFragments(spark, folder, relation, rows);
  }

  private static BigIntVector addressesOf(VectorSchemaRoot batch, BufferAllocator allocator) {
    UInt8Vector from = (UInt8Vector) batch.getVector(LanceDatasets.ROW_ADDRESS);
    BigIntVector to =
        new BigIntVector(
            new Field(
                SOURCE_ADDRESS,
                FieldType.notNullable(
                    new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true)),
                null),
            allocator);
    to.allocateNew(batch.getRowCount());
    for (int i = 0; i < batch.getRowCount(); i++) {
      to.set(i, from.get(i));
    }
    to.setValueCount(batch.getRowCount());
    return to;
  }

  /** The temporary view over the copy, or null when the fragments had no rows. */
  String relation() {
    return relation;
  }

  /** The rows copied. */
  long rows() {
    return rows;
  }

  @Override
  public void close() {
    if (relation != null) {
      spark.catalog().dropTempView(relation);
    }
    deleteQuietly(folder);
  }

  /** Deletes copies a refresh that stopped left behind (refreshes of a view are one at a time). */
  static void clearLeftovers(Path viewPath) {
    deleteQuietly(viewPath.resolve("_lancet").resolve("staging"));
  }

  private static void deleteQuietly(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover copy is harmless: the next refresh's is another folder
    }
  }
}
