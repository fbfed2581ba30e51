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
 *   <li>A <b>segment</b> holds consecutive finished batches of a fragment in scan order: their
 *       row addresses and values, with the first scan ordinal, the row count and a checksum of
 *       the addresses in the file's metadata. Segments of a fragment are numbered from 0, so a
 *       resumed run finds them without listing a directory; one that is missing, truncated, of
 *       another schema or that does not start where the previous one ended reads as absent (its
 *       rows and those after are computed again). Workers write them every checkpoint interval
 *       while a fragment is in progress, so a fragment finished faster writes none. Used when
 *       rows must be placed by address (deletions, a filter).
 *   <li>A <b>part record</b> names a finished piece of a fragment's column file when the scan
 *       returns every physical row in order: the worker closes the file it is writing every
 *       checkpoint interval and starts the next, so each piece is itself the checkpoint of its
 *       rows and nothing is written twice; a fragment finished within the interval has one
 *       piece, which is its column file.
 *   <li>A <b>done record</b> says a fragment's column file was computed under a given key (UDF
 *       version, input data, filter). Written as soon as the file is, before the commit: a rerun
 *       commits an uncommitted file instead of computing it again, and skips a committed one
 *       unread.
 * </ul>
 */
final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final String ROWS = "lancet.rows";
  private static final String FIRST = "lancet.first_ordinal";
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

  String segmentUri(String fragmentKey, int index) {
    return directory + "/segment-" + fragmentKey + "-" + index + ".lance";
  }

  private String doneUri(String fragmentKey) {
    return directory + "/done-" + fragmentKey + ".lance";
  }

  /** Finished rows kept for the next segment: row addresses and values, owned by this object. */
  record Rows(UInt8Vector addresses, FieldVector values, int count) implements AutoCloseable {
    @Override
    public void close() {
      addresses.close();
      values.close();
    }
  }

  /**
   * Writes segment {@code index} of a fragment: {@code batches}, in order, starting at scan
   * ordinal {@code firstOrdinal}. The batches stay the caller's.
   */
  void writeSegment(String fragmentKey, int index, long firstOrdinal, List<Rows> batches, BufferAllocator allocator)
      throws Exception {
    if (batches.isEmpty()) {
      return;
    }
    long rows = 0;
    long checksum = 0;
    for (Rows b : batches) {
      rows += b.count();
      checksum = checksum(checksum, b.addresses(), b.count());
    }
    Field valueField = new Field(VALUE, batches.get(0).values().getField().getFieldType(),
        batches.get(0).values().getField().getChildren());
    Field addressField = Field.nullable(ADDRESS, new ArrowType.Int(64, false));
    try (LanceFileWriter writer = LanceFileWriter.open(segmentUri(fragmentKey, index), allocator, null, storageOptions)) {
      writer.addSchemaMetadata(Map.of(ROWS, String.valueOf(rows), FIRST, String.valueOf(firstOrdinal),
          CHECKSUM, String.valueOf(checksum)));
      for (Rows b : batches) {
        // Zero-copy views named as the file's schema wants; the batch keeps its own vectors.
        try (FieldVector a = (FieldVector) addressField.createVector(allocator);
             FieldVector v = valueField.createVector(allocator)) {
          b.addresses().makeTransferPair(a).splitAndTransfer(0, b.count());
          b.values().makeTransferPair(v).splitAndTransfer(0, b.count());
          try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(addressField, valueField), List.of(a, v), b.count())) {
            writer.write(root);
          }
        }
      }
    }
  }

  /**
   * Hands the valid segments of a fragment, from segment 0 on, to {@code sink}, and stops at the
   * first one that is absent, bad, does not continue where the previous ended, or is refused by
   * the sink.
   *
   * @return the segments accepted and the scan-ordered rows they cover
   */
  Resumed readSegments(String fragmentKey, Field expectedValue, BufferAllocator allocator, SegmentSink sink) {
    int index = 0;
    long covered = 0;
    while (true) {
      String uri = segmentUri(fragmentKey, index);
      try (LanceFileReader reader = LanceFileReader.open(uri, storageOptions, allocator)) {
        Map<String, String> meta = reader.schema().getCustomMetadata();
        List<Field> fields = reader.schema().getFields();
        if (meta == null || !String.valueOf(covered).equals(meta.get(FIRST)) || meta.get(ROWS) == null
            || reader.numRows() != Long.parseLong(meta.get(ROWS)) || reader.numRows() > Integer.MAX_VALUE
            || fields.size() != 2 || !fields.get(1).getType().equals(expectedValue.getType())) {
          LOG.warn("checkpoint {} does not continue the fragment's earlier segments (rows, position or schema); "
              + "computing its rows again", uri);
          return new Resumed(index, covered);
        }
        int rows = (int) reader.numRows();
        try (ArrowReader batches = reader.readAll(List.of(ADDRESS, VALUE), null, Math.max(1, rows))) {
          if (!batches.loadNextBatch() || batches.getVectorSchemaRoot().getRowCount() != rows) {
            return new Resumed(index, covered);
          }
          VectorSchemaRoot root = batches.getVectorSchemaRoot();
          UInt8Vector a = (UInt8Vector) root.getVector(ADDRESS);
          if (!String.valueOf(checksum(0, a, rows)).equals(meta.get(CHECKSUM))) {
            LOG.warn("checkpoint {} is corrupt (checksum); computing its rows again", uri);
            return new Resumed(index, covered);
          }
          if (!sink.accept(covered, a, root.getVector(VALUE), rows)) {
            return new Resumed(index, covered);
          }
          covered += rows;
          index++;
        }
      } catch (Exception e) {
        // Absent (never written) or unreadable (truncated by a crash): compute those rows again.
        LOG.debug("checkpoint {} unreadable: {}", uri, e.toString());
        return new Resumed(index, covered);
      }
    }
  }

  /** What a fragment's segments gave a resumed run: how many, and the rows they cover in scan order. */
  record Resumed(int segments, long rows) {}

  /** Deletes segments {@code 0 .. count-1} of a fragment (its column file is written). */
  void deleteSegments(String fragmentKey, int count) {
    for (int i = 0; i < count; i++) {
      DataFiles.deleteQuietly(segmentUri(fragmentKey, i));
    }
  }

  private String partUri(String fragmentKey, int index) {
    return directory + "/part-" + fragmentKey + "-" + index + ".lance";
  }

  /**
   * A finished piece of a fragment's column file, for the dense path: the data file (under the
   * table's data directory) holding the column's values for scan ordinals {@code [first, first + rows)}.
   */
  record Part(long first, long rows, String fileName) {}

  /** Records part {@code index} of a fragment (after its file is complete). */
  void writePart(String fragmentKey, int index, Part part, BufferAllocator allocator) throws Exception {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(Field.nullable("file", ArrowType.Utf8.INSTANCE))), allocator)) {
      VarCharVector f = (VarCharVector) root.getVector("file");
      f.allocateNew();
      f.setSafe(0, part.fileName().getBytes(StandardCharsets.UTF_8));
      f.setValueCount(1);
      root.setRowCount(1);
      try (LanceFileWriter writer = LanceFileWriter.open(partUri(fragmentKey, index), allocator, null, storageOptions)) {
        writer.addSchemaMetadata(Map.of(FIRST, String.valueOf(part.first()), ROWS, String.valueOf(part.rows())));
        writer.write(root);
      }
    }
  }

  /**
   * The recorded parts of a fragment from part 0 on, while each continues the previous one and
   * its data file holds the recorded rows; a missing, damaged or stale record ends the list.
   */
  List<Part> readParts(String fragmentKey, String datasetUri, BufferAllocator allocator) {
    List<Part> parts = new java.util.ArrayList<>();
    long covered = 0;
    for (int index = 0; ; index++) {
      String uri = partUri(fragmentKey, index);
      try (LanceFileReader reader = LanceFileReader.open(uri, storageOptions, allocator);
           ArrowReader rows = reader.readAll(List.of("file"), null, 1)) {
        Map<String, String> meta = reader.schema().getCustomMetadata();
        if (meta == null || !String.valueOf(covered).equals(meta.get(FIRST)) || !rows.loadNextBatch()
            || rows.getVectorSchemaRoot().getRowCount() != 1) {
          return parts;
        }
        long count = Long.parseLong(meta.get(ROWS));
        String file = new String(((VarCharVector) rows.getVectorSchemaRoot().getVector("file")).get(0), StandardCharsets.UTF_8);
        try (LanceFileReader data = LanceFileReader.open(DataFiles.dataFileUri(datasetUri, file), storageOptions, allocator)) {
          if (data.numRows() != count) {
            LOG.warn("checkpoint {} names a file of {} rows, not {}; computing its rows again", uri, data.numRows(), count);
            return parts;
          }
        }
        parts.add(new Part(covered, count, file));
        covered += count;
      } catch (Exception e) {
        LOG.debug("checkpoint {} unreadable: {}", uri, e.toString());
        return parts;
      }
    }
  }

  /** Deletes part records {@code 0 .. count-1} of a fragment (not their data files). */
  void deletePartRecords(String fragmentKey, int count) {
    for (int i = 0; i < count; i++) {
      DataFiles.deleteQuietly(partUri(fragmentKey, i));
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

  private static long checksum(long h, UInt8Vector addresses, int rows) {
    for (int i = 0; i < rows; i++) {
      h = h * 31 + addresses.get(i);
    }
    return h;
  }

  /** Receives a segment's rows; returns false to refuse it (and every later one). */
  @FunctionalInterface
  interface SegmentSink {
    boolean accept(long firstOrdinal, UInt8Vector addresses, FieldVector values, int rows);
  }
}
