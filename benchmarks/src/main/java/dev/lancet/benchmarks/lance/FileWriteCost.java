package dev.lancet.benchmarks.lance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.file.LanceFileReader;
import org.lance.file.LanceFileWriter;
import org.lance.util.Range;

/**
 * The least Java program that writes and reads a Lance column file the way a backfill does: Lance's
 * own cost, without Lancet. A {@code float[dim]} column (every other row null) is written in
 * batches of a given size and file format, then read back in windows and written again (as a merge
 * of parts does). It shows the two facts the part format and window size rest on (issue 23,
 * docs/stack-notes.md): batches of tens of MB cost glibc's fresh pages each time, and Lance 2.1's
 * structural encoding costs more than 2.0's to write and to read (1.3x and 2.2x here). Run by
 * {@code benchmarks/run file-write [rows] [dim]}; times are the best of three rounds, each on new
 * data.
 */
public final class FileWriteCost {
  private FileWriteCost() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 262_144;
    int dim = args.length > 1 ? Integer.parseInt(args[1]) : 1536;
    Path dir = Files.createTempDirectory("lancet-file-write");
    System.out.printf(
        "%,d rows of float[%d] (%,d MB), every other row null; best of 3 rounds%n",
        rows, dim, (long) rows * dim * 4 / 1_000_000);
    System.out.println("format  batch rows  write s  read s (same windows)  merge s (read+write)");
    try (BufferAllocator allocator = new RootAllocator()) {
      for (String format : List.of("2.0", "2.1")) {
        for (int batch : List.of(1024, 8192)) {
          double write = Double.MAX_VALUE;
          double read = Double.MAX_VALUE;
          double merge = Double.MAX_VALUE;
          for (int round = 0; round < 3; round++) {
            Path file = dir.resolve("f-" + round + ".lance");
            Path merged = dir.resolve("m-" + round + ".lance");
            write = Math.min(write, write(file, format, batch, rows, dim, round, allocator));
            read = Math.min(read, read(file, batch, null, null, allocator));
            merge = Math.min(merge, read(file, batch, merged, format, allocator));
            Files.deleteIfExists(file);
            Files.deleteIfExists(merged);
          }
          System.out.printf(
              "%-6s  %10d  %7.2f  %21.2f  %20.2f%n", format, batch, write, read, merge);
        }
      }
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  private static double write(
      Path file, String format, int batch, int rows, int dim, int seed, BufferAllocator allocator)
      throws Exception {
    Field item =
        new Field(
            "item",
            FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
            null);
    Field field =
        new Field("vec", FieldType.nullable(new ArrowType.FixedSizeList(dim)), List.of(item));
    long nanos = 0;
    try (LanceFileWriter writer =
        LanceFileWriter.open(file.toString(), allocator, null, Optional.of(format), Map.of())) {
      for (int first = 0; first < rows; first += batch) {
        int n = Math.min(batch, rows - first);
        // New values each batch, as a UDF's: the same buffers written again sit in the CPU's cache.
        try (VectorSchemaRoot root =
            VectorSchemaRoot.create(new Schema(List.of(field)), allocator)) {
          FixedSizeListVector vec = (FixedSizeListVector) root.getVector(0);
          vec.setInitialCapacity(n);
          vec.allocateNew();
          Float4Vector values = (Float4Vector) vec.getDataVector();
          for (int i = 0; i < n; i++) {
            if (i % 2 == 1) {
              vec.setNull(i);
              continue;
            }
            vec.setNotNull(i);
            for (int j = 0; j < dim; j++) {
              values.set(i * dim + j, (float) (first + i + j + seed));
            }
          }
          vec.setValueCount(n);
          root.setRowCount(n);
          long start = System.nanoTime();
          writer.write(root);
          nanos += System.nanoTime() - start;
        }
      }
      long start = System.nanoTime();
      writer.close();
      nanos += System.nanoTime() - start;
    }
    return nanos / 1e9;
  }

  /** Reads {@code file} in windows of {@code window} rows; writes them to {@code to} if given. */
  private static double read(
      Path file, int window, Path to, String format, BufferAllocator allocator) throws Exception {
    long start = System.nanoTime();
    try (LanceFileReader reader = LanceFileReader.open(file.toString(), Map.of(), allocator);
        LanceFileWriter writer =
            to == null
                ? null
                : LanceFileWriter.open(
                    to.toString(), allocator, null, Optional.of(format), Map.of())) {
      long rows = reader.numRows();
      for (long first = 0; first < rows; first += window) {
        int n = (int) Math.min(window, rows - first);
        try (ArrowReader batch =
            reader.readAll(List.of("vec"), List.of(Range.of((int) first, (int) first + n)), n)) {
          batch.loadNextBatch();
          if (writer != null) {
            writer.write(batch.getVectorSchemaRoot());
          }
        }
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
