package dev.lancet.benchmarks;

import dev.lancet.examples.Area;
import dev.lancet.udf.ColumnUdf;
import dev.lancet.udf.ColumnUdfs;
import dev.lancet.udf.UdfInspector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The UDF bridge against hand-written loops over the same Arrow vectors: one batch of {@code rows}
 * rows of (x int, y int, filename string). Each method computes a whole output column and frees it,
 * as a backfill does per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class UdfBridgeBenchmark {
  @Param("1000000")
  public int rows;

  private BufferAllocator allocator;
  private VectorSchemaRoot batch;
  private IntVector x;
  private IntVector y;
  private VarCharVector filename;
  private ColumnUdf scalarArea;
  private ColumnUdf batchedArea;
  private ColumnUdf scalarLength;

  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    Schema schema =
        new Schema(
            List.of(
                Field.nullable("x", new ArrowType.Int(32, true)),
                Field.nullable("y", new ArrowType.Int(32, true)),
                Field.nullable("filename", ArrowType.Utf8.INSTANCE)));
    batch = VectorSchemaRoot.create(schema, allocator);
    x = (IntVector) batch.getVector("x");
    y = (IntVector) batch.getVector("y");
    filename = (VarCharVector) batch.getVector("filename");
    x.allocateNew(rows);
    y.allocateNew(rows);
    filename.allocateNew((long) rows * 24, rows);
    for (int i = 0; i < rows; i++) {
      x.set(i, i % 4096);
      y.set(i, i % 2160);
      filename.setSafe(i, ("videos/clip-" + i + ".mp4").getBytes(StandardCharsets.UTF_8));
    }
    batch.setRowCount(rows);
    ClassLoader loader = getClass().getClassLoader();
    scalarArea = ColumnUdfs.instantiate(UdfInspector.inspect(Area.class, Map.of()), loader);
    batchedArea =
        ColumnUdfs.instantiate(
            UdfInspector.inspect(BenchUdfs.BatchedArea.class, Map.of(), List.of("x", "y")), loader);
    scalarLength =
        ColumnUdfs.instantiate(UdfInspector.inspect(BenchUdfs.NameLength.class, Map.of()), loader);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    scalarArea.close();
    batchedArea.close();
    scalarLength.close();
    batch.close();
    allocator.close();
  }

  @Benchmark
  public long handLoopArea() {
    try (BigIntVector out = new BigIntVector("area", allocator)) {
      out.allocateNew(rows);
      for (int i = 0; i < rows; i++) {
        if (x.isNull(i) || y.isNull(i)) {
          out.setNull(i);
        } else {
          out.set(i, (long) x.get(i) * y.get(i));
        }
      }
      out.setValueCount(rows);
      return out.get(rows - 1);
    }
  }

  @Benchmark
  public long scalarArea() {
    try (FieldVector out = scalarArea.compute(batch, "area", allocator)) {
      return ((BigIntVector) out).get(rows - 1);
    }
  }

  @Benchmark
  public long batchedArea() {
    try (FieldVector out = batchedArea.compute(batch, "area", allocator)) {
      return ((BigIntVector) out).get(rows - 1);
    }
  }

  @Benchmark
  public int handLoopNameLength() {
    try (IntVector out = new IntVector("len", allocator)) {
      out.allocateNew(rows);
      for (int i = 0; i < rows; i++) {
        if (filename.isNull(i)) {
          out.setNull(i);
        } else {
          out.set(i, new String(filename.get(i), StandardCharsets.UTF_8).length());
        }
      }
      out.setValueCount(rows);
      return out.get(rows - 1);
    }
  }

  @Benchmark
  public int scalarNameLength() {
    try (FieldVector out = scalarLength.compute(batch, "len", allocator)) {
      return ((IntVector) out).get(rows - 1);
    }
  }
}
