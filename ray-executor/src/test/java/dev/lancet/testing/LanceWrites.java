package dev.lancet.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.fragment.FragmentUpdateResult;
import org.lance.operation.Update;

/** Other writers of a test table, as Lance itself offers them (no Spark). */
public final class LanceWrites {
  private LanceWrites() {}

  /**
   * Lance's in-place column update: sets {@code column} to {@code value} for the row whose {@code
   * id} is {@code id} in fragment {@code fragmentId}, writing a new file for the column (the old
   * file's field is retired), committed as an {@code Update}.
   */
  public static void updateInPlace(String uri, int fragmentId, int id, String column, int value) {
    Schema schema =
        new Schema(
            List.of(
                Field.nullable("id", new ArrowType.Int(32, true)),
                Field.nullable(column, new ArrowType.Int(32, true))));
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      byte[] ipc;
      try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, a);
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
        ((IntVector) root.getVector("id")).setSafe(0, id);
        ((IntVector) root.getVector(column)).setSafe(0, value);
        root.setRowCount(1);
        writer.start();
        writer.writeBatch();
        writer.end();
        ipc = out.toByteArray();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      FragmentUpdateResult result;
      try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(ipc), a);
          ArrowArrayStream stream = ArrowArrayStream.allocateNew(a)) {
        Data.exportArrayStream(a, reader, stream);
        Fragment fragment =
            ds.getFragments().stream()
                .filter(f -> f.getId() == fragmentId)
                .findFirst()
                .orElseThrow();
        result = fragment.updateColumns(stream, "id", "id");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      Update update =
          Update.builder()
              .updatedFragments(List.of(result.getUpdatedFragment()))
              .fieldsModified(result.getFieldsModified())
              .build();
      ds.newTransactionBuilder()
          .readVersion(ds.version())
          .operation(update)
          .build()
          .commit()
          .close();
    }
  }

  /** Lance's cheap schema change: adds an all-null int column. */
  public static void addColumn(String uri, String name) {
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      ds.addColumns(List.of(LanceTestTables.intField(name)));
    }
  }

  /** Drops columns. */
  public static void dropColumns(String uri, String... names) {
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      ds.dropColumns(List.of(names));
    }
  }

  /** Changes an input column's type (its data is rewritten). */
  public static void castColumn(String uri, String name, ArrowType to) {
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      ds.alterColumns(
          List.of(new org.lance.schema.ColumnAlteration.Builder(name).castTo(to).build()));
    }
  }

  /** Deletes rows matching a Lance filter. */
  public static void delete(String uri, String filter) {
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      ds.delete(filter);
    }
  }

  /** Compacts into fragments of up to 1000 rows, deletions materialized. */
  public static void compact(String uri) {
    try (BufferAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      ds.compact(
          org.lance.compaction.CompactionOptions.builder()
              .withTargetRowsPerFragment(1000)
              .withMaterializeDeletions(true)
              .build());
    }
  }
}
