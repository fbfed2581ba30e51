package dev.lancet.backfill.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrowPartsTest {
  private static final int DIM = 7;
  private static final int FIXED_DIM = 16;

  @TempDir Path dir;

  private static Schema schema() {
    Field item = Field.nullable("item", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
    Field emb =
        new Field("emb", FieldType.nullable(new ArrowType.FixedSizeList(DIM)), List.of(item));
    return new Schema(List.of(emb, Field.nullable("label", new ArrowType.Utf8())));
  }

  /** Rows {@code from..from+n}: every third embedding null, labels "r<i>". */
  private static void fill(VectorSchemaRoot root, int from, int n) {
    root.allocateNew();
    FixedSizeListVector emb = (FixedSizeListVector) root.getVector("emb");
    Float4Vector values = (Float4Vector) emb.getDataVector();
    VarCharVector label = (VarCharVector) root.getVector("label");
    for (int i = 0; i < n; i++) {
      int row = from + i;
      if (row % 3 == 0) {
        emb.setNull(i);
      } else {
        emb.setNotNull(i);
        for (int d = 0; d < DIM; d++) {
          values.setSafe(i * DIM + d, row * 10f + d);
        }
      }
      label.setSafe(i, ("r" + row).getBytes());
    }
    values.setValueCount(n * DIM);
    root.setRowCount(n);
  }

  /** Writes 3 batches (1,000 + 50,000 + 3 rows) and reads them back, checking every value. */
  private void roundTrip(boolean direct) throws Exception {
    String uri = dir.resolve("p" + direct + ArrowParts.SUFFIX).toString();
    int[] sizes = {1000, 50_000, 3};
    try (BufferAllocator a = new RootAllocator()) {
      roundTrip(uri, sizes, direct, a);
      assertEquals(0, a.getAllocatedMemory(), "every buffer released");
    }
  }

  private void roundTrip(String uri, int[] sizes, boolean direct, BufferAllocator a)
      throws Exception {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema(), a)) {
      try (ArrowParts.Writer w = new ArrowParts.Writer(uri, schema(), a, direct)) {
        if (!direct) {
          assertFalse(w.direct(), "through the page cache when asked");
        }
        int from = 0;
        for (int n : sizes) {
          fill(root, from, n);
          w.write(root);
          from += n;
        }
      }
      assertEquals(51_003, ArrowParts.rows(uri));
      int row = 0;
      try (ArrowParts.Reader r = new ArrowParts.Reader(uri, a, direct)) {
        for (VectorSchemaRoot got = r.next(); got != null; got = r.next()) {
          FixedSizeListVector emb = (FixedSizeListVector) got.getVector("emb");
          Float4Vector values = (Float4Vector) emb.getDataVector();
          VarCharVector label = (VarCharVector) got.getVector("label");
          for (int i = 0; i < got.getRowCount(); i++, row++) {
            assertEquals(row % 3 == 0, emb.isNull(i), "row " + row);
            if (row % 3 != 0) {
              assertEquals(row * 10f + DIM - 1, values.get(i * DIM + DIM - 1), "row " + row);
            }
            assertEquals("r" + row, new String(label.get(i)));
          }
        }
      }
      assertEquals(51_003, row);
    }
  }

  @Test
  void aPartReadsBackEveryValueAndNullPastThePageCache() throws Exception {
    roundTrip(true);
  }

  @Test
  void aPartReadsBackTheSameThroughThePageCacheWhereDirectIoIsRefused() throws Exception {
    roundTrip(false);
  }

  @Test
  void aPartCutShortOrMissingHasNoRows() throws Exception {
    String uri = dir.resolve("cut" + ArrowParts.SUFFIX).toString();
    try (BufferAllocator a = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema(), a)) {
      try (ArrowParts.Writer w = new ArrowParts.Writer(uri, schema(), a)) {
        fill(root, 0, 100);
        w.write(root);
      }
      assertEquals(100, ArrowParts.rows(uri));
      try (FileChannel c = FileChannel.open(Path.of(uri), StandardOpenOption.WRITE)) {
        c.truncate(c.size() - 1); // a kill before the trailer was whole
      }
      assertEquals(-1, ArrowParts.rows(uri));
    }
    assertEquals(-1, ArrowParts.rows(dir.resolve("gone" + ArrowParts.SUFFIX).toString()));
    assertTrue(ArrowParts.isArrowPart("x" + ArrowParts.SUFFIX));
  }

  @Test
  void anEmptyPartIsAStreamOfNoBatches() throws Exception {
    String uri = dir.resolve("empty" + ArrowParts.SUFFIX).toString();
    try (BufferAllocator a = new RootAllocator()) {
      new ArrowParts.Writer(uri, schema(), a).close();
      assertEquals(0, ArrowParts.rows(uri));
      try (ArrowParts.Reader r = new ArrowParts.Reader(uri, a)) {
        assertNull(r.next());
      }
      assertTrue(Files.size(Path.of(uri)) > 0);
    }
  }

  private static Schema fixedWidth() {
    Field item = Field.nullable("item", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
    return new Schema(
        List.of(
            new Field(
                "emb", FieldType.nullable(new ArrowType.FixedSizeList(FIXED_DIM)), List.of(item)),
            Field.nullable("n", new ArrowType.Int(64, true))));
  }

  /** Rows {@code from..from+n}: rows where {@code nulls} says so are null in both columns. */
  private static void fillFixed(
      VectorSchemaRoot root, int from, int n, java.util.function.IntPredicate nulls) {
    root.allocateNew();
    FixedSizeListVector emb = (FixedSizeListVector) root.getVector("emb");
    Float4Vector values = (Float4Vector) emb.getDataVector();
    org.apache.arrow.vector.BigIntVector num =
        (org.apache.arrow.vector.BigIntVector) root.getVector("n");
    for (int i = 0; i < n; i++) {
      int row = from + i;
      if (nulls.test(row)) {
        emb.setNull(i);
        num.setNull(i);
        continue;
      }
      emb.setNotNull(i);
      for (int d = 0; d < FIXED_DIM; d++) {
        if (row % 7 == 1 && d == 3) {
          values.setNull(i * FIXED_DIM + d); // an item null inside a row with values
        } else {
          values.setSafe(i * FIXED_DIM + d, row * 10f + d);
        }
      }
      num.setSafe(i, row * 3L);
    }
    values.setValueCount(n * FIXED_DIM);
    root.setRowCount(n);
  }

  /** Writes {@code batches} of 1,000 rows, reads them back, checks every row; the file's size. */
  private long fixedRoundTrip(String name, java.util.function.IntPredicate nulls, int batches)
      throws Exception {
    String uri = dir.resolve(name + ArrowParts.SUFFIX).toString();
    try (BufferAllocator a = new RootAllocator()) {
      try (VectorSchemaRoot root = VectorSchemaRoot.create(fixedWidth(), a);
          ArrowParts.Writer w = new ArrowParts.Writer(uri, fixedWidth(), a)) {
        for (int b = 0; b < batches; b++) {
          fillFixed(root, b * 1000, 1000, nulls);
          w.write(root);
        }
      }
      assertEquals(batches * 1000L, ArrowParts.rows(uri));
      int row = 0;
      try (ArrowParts.Reader r = new ArrowParts.Reader(uri, a)) {
        for (VectorSchemaRoot got = r.next(); got != null; got = r.next()) {
          assertEquals(
              List.of("emb", "n"),
              got.getSchema().getFields().stream().map(Field::getName).toList());
          FixedSizeListVector emb = (FixedSizeListVector) got.getVector("emb");
          Float4Vector values = (Float4Vector) emb.getDataVector();
          org.apache.arrow.vector.BigIntVector num =
              (org.apache.arrow.vector.BigIntVector) got.getVector("n");
          for (int i = 0; i < got.getRowCount(); i++, row++) {
            assertEquals(nulls.test(row), emb.isNull(i), "row " + row);
            assertEquals(nulls.test(row), num.isNull(i), "row " + row);
            if (!nulls.test(row)) {
              for (int d = 0; d < FIXED_DIM; d++) {
                boolean itemNull = row % 7 == 1 && d == 3;
                assertEquals(
                    itemNull, values.isNull(i * FIXED_DIM + d), "row " + row + " item " + d);
                if (!itemNull) {
                  assertEquals(row * 10f + d, values.get(i * FIXED_DIM + d), "row " + row);
                }
              }
              assertEquals(row * 3L, num.get(i));
            }
          }
        }
      }
      assertEquals(batches * 1000, row, "every row, in order");
      assertEquals(0, a.getAllocatedMemory(), "every buffer released");
    }
    return Files.size(Path.of(uri));
  }

  @Test
  void rowsNullInEveryFixedWidthColumnAreLeftOutAndPutBackInPlace() throws Exception {
    long none = fixedRoundTrip("none", row -> false, 5);
    long half = fixedRoundTrip("half", row -> row % 2 == 0, 5);
    long lastNull = fixedRoundTrip("last", row -> row % 1000 >= 400, 5); // the batch ends null
    assertTrue(half < none * 0.6, "half the rows' bytes: " + half + " of " + none);
    assertTrue(lastNull < none * 0.5, lastNull + " of " + none);
    long few = fixedRoundTrip("few", row -> row % 10 == 0, 5); // under a quarter: kept whole
    assertTrue(few > none * 0.95, few + " of " + none);
  }
}
