package dev.lancet.spark.views;

import dev.lancet.lance.Allocators;
import dev.lancet.lance.Folders;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.FragmentOperation;
import org.lance.WriteParams;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;
import scala.collection.JavaConverters;

/**
 * A refresh's changed source fragments, read through Lance (only their rows, only the columns the
 * view reads, with each row's source address) and held on the driver when they are few, else copied
 * into a small Lance dataset beside the view: the view's query reads them in place of the source.
 * lance-spark would scan every fragment of the source to find them; Lance reads just these. Let go
 * (the broadcast, or the copy and its temporary view) when closed.
 */
final class StagedFragments implements AutoCloseable {
  /** The staged copy's column holding each row's address in the source. */
  static final String SOURCE_ADDRESS = "__lancet_source_row";

  /** Where a view's staged copies live, under its folder. */
  private static final String STAGING = "_lancet/staging";

  /**
   * Changed rows of at most this much Arrow data are held on the driver ({@link HeldRows}) rather
   * than staged in Lance: a steady refresh's few thousand rows.
   */
  static final long HELD_BYTES = 8L << 20;

  /** Sets the held limit in place of {@link #HELD_BYTES}: tests stage through Lance with it. */
  static final String HELD_BYTES_PROPERTY = "lancet.views.held-bytes";

  private final LogicalPlan plan;
  private final long rows;
  private final Runnable release;

  private StagedFragments(LogicalPlan plan, long rows, Runnable release) {
    this.plan = plan;
    this.rows = rows;
    this.release = release;
  }

  /**
   * Copies the rows of fragments {@code fragmentIds} of {@code source} at {@code version} (only
   * those whose address {@code only} lists, unless it is null), with {@code columns}: held on the
   * driver when they are few ({@link HeldRows}), else under {@code view}'s {@code _lancet/staging/}
   * (on the view's store, so every executor reads it) as a temporary view of the session, read
   * through the view's {@code catalog}.
   */
  static StagedFragments of(
      SparkSession spark,
      TableLocation source,
      long version,
      List<Integer> fragmentIds,
      List<String> columns,
      TableLocation view,
      String catalog,
      Map<Integer, java.util.Set<Long>> only) {
    HeldRows held = new HeldRows(Long.getLong(HELD_BYTES_PROPERTY, HELD_BYTES));
    try (BufferAllocator allocator = Allocators.child("lancet-view-staging")) {
      scan(source, version, fragmentIds, columns, only, allocator, held::add);
    } catch (LancetException e) {
      throw e;
    } catch (Exception e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR,
          "cannot read fragments " + fragmentIds + " of " + source.uri() + ": " + e.getMessage());
    }
    if (held.rows() == 0 && !held.overflowed()) {
      return new StagedFragments(null, 0, () -> {});
    }
    if (!held.overflowed()) {
      // In the query's plan itself: a temporary view costs Spark ~20 ms to create.
      return new StagedFragments(held.relation(spark), held.rows(), held::close);
    }
    String uri = Folders.under(view.uri(), STAGING + "/" + UUID.randomUUID() + ".lance");
    Map<String, String> options = view.storageOptions();
    long rows;
    try (BufferAllocator allocator = Allocators.child("lancet-view-staging")) {
      WriteParams params = new WriteParams.Builder().withStorageOptions(options).build();
      List<FragmentMetadata> written = new ArrayList<>();
      Schema[] schema = {null};
      rows =
          scan(
              source,
              version,
              fragmentIds,
              columns,
              only,
              allocator,
              staged -> {
                schema[0] = staged.getSchema();
                written.addAll(Fragment.create(uri, allocator, staged, params));
                return true;
              });
      if (schema[0] == null) {
        return new StagedFragments(null, 0, () -> {}); // nothing written: the source is fixed
      }
      Dataset.create(allocator, uri, schema[0], params).close();
      new FragmentOperation.Append(written)
          .commit(allocator, uri, Optional.of(1L), options)
          .close();
    } catch (LancetException e) {
      throw e;
    } catch (Exception e) {
      Folders.deleteQuietly(uri, options);
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR,
          "cannot stage fragments " + fragmentIds + " of " + source.uri() + ": " + e.getMessage());
    }
    String relation = "lancet_refresh_" + UUID.randomUUID().toString().replace("-", "");
    // A path load through the view's catalog: lance-spark opens it with the catalog's storage
    // options (without one it makes a catalog of its own, with none).
    spark
        .read()
        .format("lance")
        .option("catalog", catalog)
        .load(uri)
        .createOrReplaceTempView(relation);
    return new StagedFragments(
        new UnresolvedRelation(
            JavaConverters.asScalaBuffer(List.of(relation)).toSeq(),
            CaseInsensitiveStringMap.empty(),
            false),
        rows,
        () -> {
          spark.catalog().dropTempView(relation);
          Folders.deleteQuietly(uri, options);
        });
  }

  /** Takes a batch of the rows to stage; false stops the scan. */
  private interface BatchSink {
    boolean take(VectorSchemaRoot staged) throws Exception;
  }

  /**
   * Reads the rows of fragments {@code fragmentIds} of {@code source} at {@code version} (only
   * those whose address {@code only} lists, unless it is null), with {@code columns} and each row's
   * address as {@link #SOURCE_ADDRESS}, and hands them to {@code sink} batch by batch (the batch is
   * valid during the call only). Returns the rows handed over.
   */
  private static long scan(
      TableLocation source,
      long version,
      List<Integer> fragmentIds,
      List<String> columns,
      Map<Integer, java.util.Set<Long>> only,
      BufferAllocator allocator,
      BatchSink sink)
      throws Exception {
    long rows = 0;
    ScanOptions scan =
        new ScanOptions.Builder()
            .fragmentIds(fragmentIds)
            .columns(columns)
            .withRowAddress(true)
            .build();
    try (Dataset sourceAt = LanceDatasets.open(source.uri(), source.storageOptions(), version);
        LanceScanner scanner = sourceAt.newScan(scan);
        ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot batch = reader.getVectorSchemaRoot();
        if (batch.getRowCount() == 0) {
          continue;
        }
        int[] kept = only == null ? null : kept(batch, only);
        if (kept != null && kept.length == 0) {
          continue;
        }
        List<FieldVector> vectors = new ArrayList<>();
        try {
          for (String c : columns) {
            vectors.add(
                kept == null ? batch.getVector(c) : gather(batch.getVector(c), kept, allocator));
          }
          vectors.add(addressesOf(batch, kept, allocator));
          int count = kept == null ? batch.getRowCount() : kept.length;
          VectorSchemaRoot staged =
              new VectorSchemaRoot(
                  vectors.stream().map(FieldVector::getField).toList(), vectors, count);
          rows += count;
          boolean more = sink.take(staged);
          if (!more) {
            return rows;
          }
        } finally {
          // Ours: the addresses, and gathered copies; the batch's own vectors are the reader's.
          for (int i = 0; i < vectors.size(); i++) {
            if (kept != null || i == vectors.size() - 1) {
              vectors.get(i).close();
            }
          }
        }
      }
    }
    return rows;
  }

  /** The batch's rows to copy: those whose address is in {@code only}. */
  private static int[] kept(VectorSchemaRoot batch, Map<Integer, java.util.Set<Long>> only) {
    UInt8Vector from = (UInt8Vector) batch.getVector(LanceDatasets.ROW_ADDRESS);
    int[] out = new int[batch.getRowCount()];
    int n = 0;
    for (int i = 0; i < batch.getRowCount(); i++) {
      long address = from.get(i);
      java.util.Set<Long> rows = only.get((int) (address >>> 32));
      if (rows != null && rows.contains(address)) {
        out[n++] = i;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** A copy of {@code rows} of {@code from} (any type), in their order. */
  private static FieldVector gather(FieldVector from, int[] rows, BufferAllocator allocator) {
    FieldVector to = from.getField().createVector(allocator);
    to.allocateNew();
    for (int j = 0; j < rows.length; j++) {
      to.copyFromSafe(rows[j], j, from);
    }
    to.setValueCount(rows.length);
    return to;
  }

  private static BigIntVector addressesOf(
      VectorSchemaRoot batch, int[] kept, BufferAllocator allocator) {
    UInt8Vector from = (UInt8Vector) batch.getVector(LanceDatasets.ROW_ADDRESS);
    int count = kept == null ? batch.getRowCount() : kept.length;
    BigIntVector to =
        new BigIntVector(
            new Field(
                SOURCE_ADDRESS,
                FieldType.notNullable(
                    new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true)),
                null),
            allocator);
    to.allocateNew(count);
    for (int j = 0; j < count; j++) {
      to.set(j, from.get(kept == null ? j : kept[j]));
    }
    to.setValueCount(count);
    return to;
  }

  /** The copy as a relation of a plan (its rows, or its temporary view), or null for no rows. */
  LogicalPlan plan() {
    return plan;
  }

  /** The rows copied. */
  long rows() {
    return rows;
  }

  @Override
  public void close() {
    release.run();
  }

  /** Deletes copies a refresh that stopped left behind (refreshes of a view are one at a time). */
  static void clearLeftovers(TableLocation view) {
    Folders.deleteQuietly(Folders.under(view.uri(), STAGING), view.storageOptions());
  }
}
