package dev.lancet.backfill.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.file.LanceFileReader;
import org.lance.file.LanceFileWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of one column, as Lance files under {@code <table>/_lancet/checkpoints/<column>/},
 * so they live wherever the table does.
 *
 * <ul>
 *   <li>A <b>batch checkpoint</b> holds one finished batch: its row addresses and values, with the
 *       row count and a checksum in the file's schema metadata. One that is missing, truncated,
 *       of another schema or with a wrong checksum reads as absent, so its batch is recomputed.
 *   <li>A <b>done record</b> says a fragment's committed column file was computed under a given
 *       key (UDF version, input data, filter), so a rerun can skip the fragment unread.
 * </ul>
 */
final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final String ROWS = "lancet.rows";
  private static final String CHECKSUM = "lancet.checksum";
  // Not "_rowaddr": Lance's file reader drops columns with that reserved name.
  static final String ADDRESS = "row_address";
  static final String VALUE = "value";

  private final String directory;
  private final Map<String, String> storageOptions;

  CheckpointStore(String datasetUri, Map<String, String> storageOptions, String column) {
    this.directory = DataFiles.underTable(datasetUri, "_lancet/checkpoints/" + URLEncoder.encode(column, StandardCharsets.UTF_8));
    this.storageOptions = storageOptions;
  }

  String batchUri(String key) {
    return directory + "/batch-" + key + ".lance";
  }

  private String doneUri(String fragmentKey) {
    return directory + "/done-" + fragmentKey + ".lance";
  }

  /** Writes a finished batch: {@code rows} addresses and values. */
  void writeBatch(String key, UInt8Vector addresses, FieldVector values, int rows, BufferAllocator allocator) throws Exception {
    Field valueField = new Field(VALUE, values.getField().getFieldType(), values.getField().getChildren());
    try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(
            Field.nullable(ADDRESS, new ArrowType.Int(64, false)), valueField)), allocator)) {
      UInt8Vector a = (UInt8Vector) root.getVector(ADDRESS);
      FieldVector v = root.getVector(VALUE);
      a.allocateNew(rows);
      v.setInitialCapacity(rows);
      v.allocateNew();
      for (int i = 0; i < rows; i++) {
        a.set(i, addresses.get(i));
        v.copyFromSafe(i, i, values);
      }
      a.setValueCount(rows);
      v.setValueCount(rows);
      root.setRowCount(rows);
      try (LanceFileWriter writer = LanceFileWriter.open(batchUri(key), allocator, null, storageOptions)) {
        writer.addSchemaMetadata(Map.of(ROWS, String.valueOf(rows), CHECKSUM, String.valueOf(checksum(a, v, rows))));
        writer.write(root);
      }
    }
  }

  /** Hands a valid batch checkpoint's rows to {@code sink}; false if it is absent or bad. */
  boolean readBatch(String key, Field expectedValue, int expectedRows, BufferAllocator allocator, BatchSink sink) {
    String uri = batchUri(key);
    try (LanceFileReader reader = LanceFileReader.open(uri, storageOptions, allocator)) {
      Map<String, String> meta = reader.schema().getCustomMetadata();
      List<Field> fields = reader.schema().getFields();
      if (meta == null || !String.valueOf(expectedRows).equals(meta.get(ROWS)) || reader.numRows() != expectedRows
          || fields.size() != 2 || !fields.get(1).getType().equals(expectedValue.getType())) {
        LOG.warn("checkpoint {} does not match its batch (rows or schema); recomputing it", uri);
        return false;
      }
      try (ArrowReader rows = reader.readAll(List.of(ADDRESS, VALUE), null, Math.max(1, expectedRows))) {
        if (!rows.loadNextBatch()) {
          return expectedRows == 0;
        }
        VectorSchemaRoot root = rows.getVectorSchemaRoot();
        UInt8Vector a = (UInt8Vector) root.getVector(ADDRESS);
        FieldVector v = root.getVector(VALUE);
        if (root.getRowCount() != expectedRows || !String.valueOf(checksum(a, v, expectedRows)).equals(meta.get(CHECKSUM))) {
          LOG.warn("checkpoint {} is corrupt (checksum); recomputing it", uri);
          return false;
        }
        sink.accept(a, v, expectedRows);
        return true;
      }
    } catch (Exception e) {
      // Absent (never written) or unreadable (truncated by a crash): compute the batch again.
      LOG.debug("checkpoint {} unreadable: {}", uri, e.toString());
      return false;
    }
  }

  /** Records that a fragment's column file {@code fileName} was computed under {@code fragmentKey}. */
  void markDone(String fragmentKey, String fileName, BufferAllocator allocator) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(Field.nullable("file", ArrowType.Utf8.INSTANCE))), allocator)) {
      VarCharVector f = (VarCharVector) root.getVector("file");
      f.allocateNew();
      f.setSafe(0, fileName.getBytes(StandardCharsets.UTF_8));
      f.setValueCount(1);
      root.setRowCount(1);
      try (LanceFileWriter writer = LanceFileWriter.open(doneUri(fragmentKey), allocator, null, storageOptions)) {
        writer.write(root);
      }
    } catch (Exception e) {
      LOG.warn("cannot record fragment key {} as done: {}", fragmentKey, e.toString());
    }
  }

  /** The column file recorded for {@code fragmentKey}, or null. */
  String doneFile(String fragmentKey, BufferAllocator allocator) {
    try (LanceFileReader reader = LanceFileReader.open(doneUri(fragmentKey), storageOptions, allocator);
         ArrowReader rows = reader.readAll(List.of("file"), null, 1)) {
      if (!rows.loadNextBatch() || rows.getVectorSchemaRoot().getRowCount() != 1) {
        return null;
      }
      return new String(((VarCharVector) rows.getVectorSchemaRoot().getVector("file")).get(0), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return null;
    }
  }

  /** Deletes batch checkpoints no longer needed (their fragment is committed). */
  void deleteBatches(List<String> keys) {
    keys.forEach(k -> DataFiles.deleteQuietly(batchUri(k)));
  }

  private static long checksum(UInt8Vector addresses, FieldVector values, int rows) {
    long h = rows;
    for (int i = 0; i < rows; i++) {
      h = h * 31 + addresses.get(i);
      h = h * 31 + values.hashCode(i);
    }
    return h;
  }

  /** Receives a checkpoint's rows. */
  @FunctionalInterface
  interface BatchSink {
    void accept(UInt8Vector addresses, FieldVector values, int rows);
  }
}
