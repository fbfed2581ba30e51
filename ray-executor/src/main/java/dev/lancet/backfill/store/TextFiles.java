package dev.lancet.backfill.store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.file.LanceFileReader;
import org.lance.file.LanceFileWriter;

/**
 * One short text (and optional string metadata) as a Lance file, written and read through Lance's
 * own I/O, so it lives wherever the table does: checkpoint records, job heartbeats and cancel
 * requests. Writing a path again replaces it.
 */
public final class TextFiles {
  private static final Schema TEXT =
      new Schema(List.of(Field.nullable("text", ArrowType.Utf8.INSTANCE)));

  private TextFiles() {}

  public static void write(
      String uri,
      String text,
      Map<String, String> meta,
      Map<String, String> storageOptions,
      BufferAllocator allocator)
      throws Exception {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(TEXT, allocator)) {
      VarCharVector v = (VarCharVector) root.getVector(0);
      v.allocateNew();
      v.setSafe(0, text.getBytes(StandardCharsets.UTF_8));
      v.setValueCount(1);
      root.setRowCount(1);
      try (LanceFileWriter writer = LanceFileWriter.open(uri, allocator, null, storageOptions)) {
        if (!meta.isEmpty()) {
          writer.addSchemaMetadata(meta);
        }
        writer.write(root);
      }
    }
  }

  /** The text of an open file, or null. */
  public static String read(LanceFileReader reader) throws Exception {
    try (ArrowReader rows = reader.readAll(List.of("text"), null, 1)) {
      if (!rows.loadNextBatch() || rows.getVectorSchemaRoot().getRowCount() != 1) {
        return null;
      }
      VarCharVector v = (VarCharVector) rows.getVectorSchemaRoot().getVector("text");
      return v.isNull(0) ? null : new String(v.get(0), StandardCharsets.UTF_8);
    }
  }

  /** The text of the file at {@code uri}, or null when it is not there or unreadable. */
  public static String read(
      String uri, Map<String, String> storageOptions, BufferAllocator allocator) {
    try (LanceFileReader reader = LanceFileReader.open(uri, storageOptions, allocator)) {
      return read(reader);
    } catch (Exception e) {
      return null;
    }
  }
}
