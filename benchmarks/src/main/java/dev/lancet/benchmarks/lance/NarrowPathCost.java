package dev.lancet.benchmarks.lance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.lance.Dataset;
import org.lance.file.LanceFileWriter;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * The least Java program for the cheap path's parts (issue 23, item 4): over a table of {@code (x
 * int, y int)} fragments, on one thread, fragment after fragment, the time to scan the inputs, to
 * scan and compute {@code x * y} through Arrow's checked {@code get}/{@code set} or by address, and
 * to do that and write the column file, by scan batch size. {@code
 * benchmarks/python/narrow_path.py} times the same parts through pylance. Run by {@code
 * benchmarks/run narrow-path [table]}; times are the best of three rounds.
 */
public final class NarrowPathCost {
  private NarrowPathCost() {}

  private enum Part {
    SCAN,
    CHECKED,
    BY_ADDRESS,
    WRITE
  }

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    Path out = Files.createTempDirectory("lancet-narrow-path");
    try (BufferAllocator root = new RootAllocator();
        Dataset ds = Dataset.open(uri, root)) {
      List<Integer> ids = ds.getFragments().stream().map(f -> f.getId()).toList();
      System.out.printf(
          "%s: %d fragments, %,d rows; one thread, best of 3%n", uri, ids.size(), ds.countRows());
      System.out.println("part                   batch 8192  batch 65536  batch 1048576");
      for (Part part : Part.values()) {
        StringBuilder line = new StringBuilder(String.format("%-20s", label(part)));
        for (int batch : List.of(8192, 65536, 1 << 20)) {
          double best = Double.MAX_VALUE;
          for (int round = 0; round < 4; round++) {
            long t0 = System.nanoTime();
            for (int id : ids) {
              fragment(ds, id, part, batch, out, root);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            best = round == 0 ? best : Math.min(best, s); // the first round warms up
          }
          line.append(String.format("  %9.3f s", best));
        }
        System.out.println(line);
      }
    } finally {
      try (var files = Files.list(out)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(out);
    }
  }

  private static String label(Part part) {
    return switch (part) {
      case SCAN -> "scan";
      case CHECKED -> "+ x*y by get/set";
      case BY_ADDRESS -> "+ x*y by address";
      case WRITE -> "+ write (address)";
    };
  }

  private static void fragment(
      Dataset ds, int id, Part part, int batch, Path out, BufferAllocator root) throws Exception {
    ScanOptions options =
        new ScanOptions.Builder()
            .fragmentIds(List.of(id))
            .columns(List.of("x", "y"))
            .batchSize(batch)
            .build();
    Field area = Field.nullable("area", new ArrowType.Int(64, true));
    Path file = out.resolve(UUID.randomUUID() + ".lance");
    try (BufferAllocator allocator = root.newChildAllocator("fragment", 0, Long.MAX_VALUE);
        LanceScanner scanner = ds.newScan(options);
        ArrowReader reader = scanner.scanBatches();
        LanceFileWriter writer =
            part == Part.WRITE
                ? LanceFileWriter.open(
                    file.toString(),
                    allocator,
                    null,
                    Optional.of(ds.getLanceFileFormatVersion()),
                    Map.of())
                : null) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot b = reader.getVectorSchemaRoot();
        int n = b.getRowCount();
        if (part == Part.SCAN) {
          continue;
        }
        IntVector x = (IntVector) b.getVector("x");
        IntVector y = (IntVector) b.getVector("y");
        try (BigIntVector v = new BigIntVector(area, allocator)) {
          v.allocateNew(n);
          if (part == Part.CHECKED) {
            for (int i = 0; i < n; i++) {
              v.set(i, (long) x.get(i) * y.get(i));
            }
          } else {
            long xs = x.getDataBuffer().memoryAddress();
            long ys = y.getDataBuffer().memoryAddress();
            long vs = v.getDataBuffer().memoryAddress();
            for (int i = 0; i < n; i++) {
              MemoryUtil.putLong(
                  vs + 8L * i,
                  (long) MemoryUtil.getInt(xs + 4L * i) * MemoryUtil.getInt(ys + 4L * i));
            }
            v.getValidityBuffer().setOne(0, (n + 7) / 8);
          }
          v.setValueCount(n);
          if (writer != null) {
            try (VectorSchemaRoot r = new VectorSchemaRoot(List.of(area), List.of(v), n)) {
              writer.write(r);
            }
          }
        }
      }
    }
    Files.deleteIfExists(file);
  }
}
