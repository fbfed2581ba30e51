package dev.lancet.backfill.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.store.Slots;
import dev.lancet.lance.DataFiles;
import dev.lancet.lance.TableLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.file.LanceFileWriter;

class CheckpointStoreTest {
  @TempDir Path dir;

  /** Writes a root of one BIGINT column to the file at a URI. */
  private interface RootWriter {
    void write(String uri, Schema schema, VectorSchemaRoot root, BufferAllocator a)
        throws Exception;
  }

  /** A file of {@code rows} rows named {@code name} under the table's data directory. */
  private static String file(
      BufferAllocator a, String table, int rows, String name, RootWriter writer) throws Exception {
    Files.createDirectories(Path.of(table, "data"));
    Schema schema = new Schema(List.of(Field.nullable("v", new ArrowType.Int(64, true))));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, a)) {
      BigIntVector v = (BigIntVector) root.getVector(0);
      v.allocateNew(rows);
      for (int i = 0; i < rows; i++) {
        v.set(i, i);
      }
      root.setRowCount(rows);
      writer.write(DataFiles.dataFileUri(table, name), schema, root, a);
    }
    return name;
  }

  /** A Lance data file of {@code rows} rows under the table's data directory. */
  private static String dataFile(BufferAllocator a, String table, int rows) throws Exception {
    return file(
        a,
        table,
        rows,
        DataFiles.newFileName(),
        (uri, schema, root, alloc) -> {
          try (LanceFileWriter w =
              LanceFileWriter.open(uri, alloc, null, Optional.of("2.0"), Map.of())) {
            w.write(root);
          }
        });
  }

  /** An Arrow part of {@code rows} rows under the table's data directory. */
  private static String arrowPart(BufferAllocator a, String table, int rows) throws Exception {
    return file(
        a,
        table,
        rows,
        ArrowParts.newFileName(),
        (uri, schema, root, alloc) -> {
          try (ArrowParts.Writer w = new ArrowParts.Writer(uri, schema, alloc)) {
            w.write(root);
          }
        });
  }

  @Test
  void partsReadBackInOrderAndOneThatDoesNotContinueOrWhoseFileIsGoneEndsThem() throws Exception {
    String table = dir.resolve("t.lance").toString();
    CheckpointStore store = new CheckpointStore(new TableLocation(table, Map.of()), "c");
    try (BufferAllocator a = new RootAllocator()) {
      BitSet half = new BitSet();
      half.set(1);
      CheckpointStore.Part p0 = new CheckpointStore.Part(0, 3, dataFile(a, table, 3), null);
      CheckpointStore.Part p1 =
          new CheckpointStore.Part(3, 2, dataFile(a, table, 2), Slots.of(half).encode());
      store.writePart("k", 0, p0, a);
      store.writePart("k", 1, p1, a);
      assertEquals(List.of(p0, p1), store.readParts("k", table, a));

      store.writePart(
          "k", 1, new CheckpointStore.Part(4, 2, p1.fileName(), null), a); // starts at 4, not 3
      assertEquals(
          List.of(p0),
          store.readParts("k", table, a),
          "a part that does not continue the others ends them");

      store.writePart("k", 1, p1, a);
      Files.delete(Path.of(DataFiles.dataFileUri(table, p1.fileName())));
      assertEquals(
          List.of(p0), store.readParts("k", table, a), "a part whose file is gone ends them");

      store.deletePartRecords("k", 2);
      assertEquals(List.of(), store.readParts("k", table, a));
    }
  }

  @Test
  void arrowPartsReadBackBesideLanceOnesAndOneCutShortEndsThem() throws Exception {
    String table = dir.resolve("t.lance").toString();
    CheckpointStore store = new CheckpointStore(new TableLocation(table, Map.of()), "c");
    try (BufferAllocator a = new RootAllocator()) {
      CheckpointStore.Part p0 = new CheckpointStore.Part(0, 3, dataFile(a, table, 3), null);
      CheckpointStore.Part p1 = new CheckpointStore.Part(3, 4, arrowPart(a, table, 4), null);
      CheckpointStore.Part p2 = new CheckpointStore.Part(7, 2, arrowPart(a, table, 2), null);
      store.writePart("k", 0, p0, a);
      store.writePart("k", 1, p1, a);
      store.writePart("k", 2, p2, a);
      assertEquals(List.of(p0, p1, p2), store.readParts("k", table, a));

      Path file = Path.of(DataFiles.dataFileUri(table, p1.fileName()));
      Files.write(
          file, java.util.Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) - 5));
      assertEquals(
          List.of(p0), store.readParts("k", table, a), "a part cut short ends them (a kill)");
    }
  }

  @Test
  void aDoneRecordHoldsTheReceiptUntilForgotten() throws Exception {
    String table = dir.resolve("t.lance").toString();
    CheckpointStore store = new CheckpointStore(new TableLocation(table, Map.of()), "c");
    try (BufferAllocator a = new RootAllocator()) {
      FragmentReceipt receipt =
          new FragmentReceipt(
              3,
              "k",
              new FragmentReceipt.WrittenFile("f.lance", 10, 5, null, null),
              new FragmentReceipt.RowCounts(5, 0, 0, List.of()),
              new FragmentReceipt.Origin(false, true, "node-1", "17.0.1"));
      store.writeDone("k", receipt, a);
      assertEquals(receipt, store.readDone("k", a));
      store.forget("k", 0);
      assertNull(store.readDone("k", a));
      Files.writeString(Path.of(table, "_lancet/checkpoints/c/done-k.lance"), "truncated");
      assertNull(store.readDone("k", a), "a damaged record reads as none");
    }
  }
}
