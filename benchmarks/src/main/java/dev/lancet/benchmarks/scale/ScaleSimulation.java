package dev.lancet.benchmarks.scale;

import dev.lancet.backfill.Backfill;
import dev.lancet.backfill.BackfillResult;
import dev.lancet.backfill.VirtualColumns;
import dev.lancet.benchmarks.backfill.TableGenerator;
import dev.lancet.benchmarks.backfill.Workload;
import dev.lancet.udf.UdfInspector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.file.LanceFileWriter;
import org.lance.fragment.DataFile;
import org.lance.operation.DataReplacement;

// Longer than 300 lines: the simulation's measurements are one sequence per fragment count, each a
// few lines, that docs/SCALE.md quotes in order.
/**
 * The simulation behind docs/SCALE.md: for tables of 1k to 20k small fragments (10 rows each, so
 * the rows' own work is negligible), the driver-side costs of a backfill as the fragment count
 * grows: opening the table and listing its fragments (the planner's floor), a full backfill (time,
 * commits, peak heap of the JVM), one Lance commit on a manifest of that many fragments, the
 * manifest's size, the objects Lancet's own state holds, and a rerun with nothing to do (the whole
 * planner). Run with {@code benchmarks/run scale [fragment counts]}.
 */
public final class ScaleSimulation {
  /**
   * Rows a fragment holds: 10 by default (the rows' own work is nothing); {@code --rows N} measures
   * the same at real fragment sizes (e.g. Lance's default of about 1M).
   */
  private static int rowsPerFragment = 10;

  private static final int COMMIT_SAMPLES = 5;

  /** One table size's measurements. */
  record Row(
      int fragments,
      double createSeconds,
      double listMillis,
      double backfillSeconds,
      int commits,
      long peakHeapBytes,
      double commitMillis,
      long manifestBytes,
      Map<String, Integer> stateObjects,
      double rerunMillis,
      int rerunCommits,
      double statusMillis,
      double explainMillis,
      double staleStatusMillis,
      double staleExplainMillis) {}

  private ScaleSimulation() {}

  public static void main(String[] args) throws Exception {
    List<Integer> counts =
        args.length == 0 || args[0].startsWith("--")
            ? List.of(1000, 2000, 5000, 10000, 20000)
            : Arrays.stream(args[0].split(",")).map(Integer::parseInt).toList();
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--rows")) {
        rowsPerFragment = Integer.parseInt(args[i + 1]);
      }
    }
    Path work =
        Path.of(System.getProperty("lancet.scale.work", "benchmarks/target/scale-work"))
            .toAbsolutePath();
    List<Row> rows = new ArrayList<>();
    for (int f : counts) {
      TableFilesCleanup.delete(work);
      Files.createDirectories(work);
      rows.add(measure(work.resolve("t" + f + ".lance").toString(), f));
      System.out.println(line(rows.get(rows.size() - 1)));
    }
    TableFilesCleanup.delete(work);
    System.out.println();
    System.out.println(
        "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + LocalDate.now());
    System.out.println(table(rows));
    System.exit(0); // Ray's LOCAL-mode threads are not daemons
  }

  static Row measure(String uri, int fragments) throws IOException {
    long t0 = System.nanoTime();
    try (BufferAllocator allocator = new RootAllocator()) {
      Dataset.create(
              allocator,
              uri,
              TableGenerator.schema(Workload.Shape.NARROW),
              new org.lance.WriteParams.Builder().build())
          .close();
    }
    TableGenerator.append(
        uri, Workload.Shape.NARROW, 0, (long) fragments * rowsPerFragment, rowsPerFragment);
    double create = seconds(t0);
    VirtualColumns.add(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(dev.lancet.examples.Area.class, Map.of(), List.of("x", "y")));

    double list = listMillis(uri, fragments);

    HeapPeak heap = HeapPeak.start();
    long t1 = System.nanoTime();
    BackfillResult full = Backfill.of(uri, "area").run();
    double backfill = seconds(t1);
    long peak = heap.stop();
    if (full.fragmentsCommitted() != fragments
        || full.rowsComputed() != (long) fragments * rowsPerFragment) {
      throw new IllegalStateException("backfill of " + fragments + " fragments: " + full);
    }

    long manifest = latestManifestBytes(uri);
    Map<String, Integer> state = stateObjects(uri);

    long t2 = System.nanoTime();
    BackfillResult rerun = Backfill.of(uri, "area").run();
    double rerunMillis = seconds(t2) * 1000;
    // Freshness by reason (SHOW VIRTUAL COLUMNS) and EXPLAIN BACKFILL, every row current.
    double status = freshnessMillis(uri, fragments, 0);
    double explain = explainMillis(uri, 0);
    // Then with every row stale: a new definition (the inputs' order), judged row by row.
    VirtualColumns.replace(
        uri,
        Map.of(),
        "area",
        UdfInspector.inspect(dev.lancet.examples.Area.class, Map.of(), List.of("y", "x")));
    double staleStatus = freshnessMillis(uri, fragments, (long) fragments * rowsPerFragment);
    double staleExplain = explainMillis(uri, (long) fragments * rowsPerFragment);
    // Last: the commits it makes replace a column file with one no backfill wrote.
    double commit = commitMillis(uri);
    return new Row(
        fragments,
        create,
        list,
        backfill,
        full.commits(),
        peak,
        commit,
        manifest,
        state,
        rerunMillis,
        rerun.commits(),
        status,
        explain,
        staleStatus,
        staleExplain);
  }

  /** Median of a few SHOW VIRTUAL COLUMNS counts (rows by state), checked against {@code stale}. */
  private static double freshnessMillis(String uri, int fragments, long stale) {
    double[] ms = new double[COMMIT_SAMPLES];
    for (int i = 0; i < ms.length; i++) {
      long t = System.nanoTime();
      VirtualColumns.Status s =
          VirtualColumns.status(uri, Map.of(), ScaleSimulation.class.getClassLoader()).get(0);
      ms[i] = (System.nanoTime() - t) / 1e6;
      if (s.freshness().toCompute() != stale
          || s.freshness().total() != (long) fragments * rowsPerFragment) {
        throw new IllegalStateException("freshness of " + uri + ": " + s.freshness());
      }
    }
    return median(ms);
  }

  /** Median of a few EXPLAIN BACKFILLs, checked against {@code toCompute}. */
  private static double explainMillis(String uri, long toCompute) {
    double[] ms = new double[COMMIT_SAMPLES];
    for (int i = 0; i < ms.length; i++) {
      long t = System.nanoTime();
      dev.lancet.backfill.BackfillExplanation e = Backfill.of(uri, "area").explain();
      ms[i] = (System.nanoTime() - t) / 1e6;
      if (e.rowsToCompute() != toCompute) {
        throw new IllegalStateException("explain of " + uri + ": " + e.describe());
      }
    }
    return median(ms);
  }

  /** Median of a few opens with a full fragment listing, as the planner does first. */
  private static double listMillis(String uri, int fragments) {
    double[] t = new double[COMMIT_SAMPLES];
    try (BufferAllocator allocator = new RootAllocator()) {
      for (int i = 0; i < t.length; i++) {
        long start = System.nanoTime();
        try (Dataset ds = Dataset.open(uri, allocator)) {
          List<Fragment> all = ds.getFragments();
          long rows = 0;
          for (Fragment f : all) {
            rows += f.metadata().getPhysicalRows();
          }
          if (all.size() != fragments || rows != (long) fragments * rowsPerFragment) {
            throw new IllegalStateException(all.size() + " fragments, " + rows + " rows");
          }
        }
        t[i] = seconds(start) * 1000;
      }
    }
    return median(t);
  }

  /**
   * Median time of a DataReplacement commit of one fragment (its column replaced by a new 10-row
   * file) on the table: what each of a backfill's commits costs Lance at this manifest size.
   */
  private static double commitMillis(String uri) throws IOException {
    double[] t = new double[COMMIT_SAMPLES];
    try (BufferAllocator allocator = new RootAllocator()) {
      for (int i = 0; i < t.length; i++) {
        try (Dataset ds = Dataset.open(uri, allocator)) {
          FragmentMetadata meta = ds.getFragments().get(0).metadata();
          int fieldId =
              ds.getLanceSchema().fields().stream()
                  .filter(f -> f.getName().equals("area"))
                  .findFirst()
                  .orElseThrow()
                  .getId();
          String[] version = ds.getLanceFileFormatVersion().split("\\.");
          String name = java.util.UUID.randomUUID() + ".lance";
          Field area = Field.nullable("area", new ArrowType.Int(64, true));
          try (LanceFileWriter writer =
                  LanceFileWriter.open(
                      uri + "/data/" + name,
                      allocator,
                      null,
                      java.util.Optional.of(ds.getLanceFileFormatVersion()),
                      Map.of());
              BigIntVector v = new BigIntVector(area, allocator);
              VectorSchemaRoot root = new VectorSchemaRoot(List.of(area), List.of(v), 0)) {
            v.allocateNew(rowsPerFragment);
            for (int r = 0; r < rowsPerFragment; r++) {
              v.set(r, r);
            }
            v.setValueCount(rowsPerFragment);
            root.setRowCount(rowsPerFragment);
            writer.write(root);
          } catch (Exception e) {
            throw new IOException(e);
          }
          DataFile file =
              new DataFile(
                  name,
                  new int[] {fieldId},
                  new int[] {0},
                  Integer.parseInt(version[0]),
                  Integer.parseInt(version[1]),
                  Files.size(Path.of(uri, "data", name)),
                  null);
          long start = System.nanoTime();
          ds.newTransactionBuilder()
              .readVersion(ds.version())
              .operation(
                  DataReplacement.builder()
                      .replacements(
                          List.of(new DataReplacement.DataReplacementGroup(meta.getId(), file)))
                      .build())
              .build()
              .commit()
              .close();
          t[i] = seconds(start) * 1000;
        }
      }
    }
    return median(t);
  }

  private static long latestManifestBytes(String uri) throws IOException {
    try (Stream<Path> s = Files.list(Path.of(uri, "_versions"))) {
      return s.max(Comparator.comparingLong(ScaleSimulation::modified))
          .map(ScaleSimulation::size)
          .orElse(0L);
    }
  }

  /** Lancet's own objects under the table, by top folder of _lancet (checkpoints, jobs, ...). */
  private static Map<String, Integer> stateObjects(String uri) throws IOException {
    Path root = Path.of(uri, "_lancet");
    Map<String, Integer> out = new TreeMap<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(Files::isRegularFile)
          .forEach(p -> out.merge(root.relativize(p).getName(0).toString(), 1, Integer::sum));
    }
    return out;
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  static String line(Row r) {
    return String.format(
        Locale.ROOT,
        "%,d fragments: created in %.1f s; open + list %.1f ms; backfill %.2f s, %d commits, peak"
            + " heap %d MiB; one commit %.1f ms; manifest %,d bytes; state %s; rerun %.0f ms, %d"
            + " commits; freshness %.0f ms (all stale %.0f ms); explain %.0f ms (all stale %.0f"
            + " ms)",
        r.fragments(),
        r.createSeconds(),
        r.listMillis(),
        r.backfillSeconds(),
        r.commits(),
        r.peakHeapBytes() >> 20,
        r.commitMillis(),
        r.manifestBytes(),
        r.stateObjects(),
        r.rerunMillis(),
        r.rerunCommits(),
        r.statusMillis(),
        r.staleStatusMillis(),
        r.explainMillis(),
        r.staleExplainMillis());
  }

  static String table(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append(
        "| fragments | open + list ms | backfill s | per fragment ms | commits | one commit ms |"
            + " manifest KiB | bytes/fragment | state objects | rerun ms | peak heap MiB |"
            + " freshness ms | freshness, all stale ms | explain ms | explain, all stale ms |\n");
    b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %,d | %.1f | %.2f | %.2f | %d | %.1f | %,d | %d | %s | %.0f | %d | %.0f | %.0f |"
                  + " %.0f | %.0f |%n",
              r.fragments(),
              r.listMillis(),
              r.backfillSeconds(),
              r.backfillSeconds() * 1000 / r.fragments(),
              r.commits(),
              r.commitMillis(),
              r.manifestBytes() >> 10,
              r.manifestBytes() / r.fragments(),
              r.stateObjects(),
              r.rerunMillis(),
              r.peakHeapBytes() >> 20,
              r.statusMillis(),
              r.staleStatusMillis(),
              r.explainMillis(),
              r.staleExplainMillis()));
    }
    return b.toString();
  }

  /**
   * Samples the JVM's used heap every 5 ms (garbage included, so an upper bound of what is live).
   */
  private static final class HeapPeak {
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private HeapPeak() {
      MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
      thread =
          new Thread(
              () -> {
                while (running) {
                  peak.accumulateAndGet(bean.getHeapMemoryUsage().getUsed(), Math::max);
                  try {
                    Thread.sleep(5);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "heap-peak");
      thread.setDaemon(true);
    }

    static HeapPeak start() {
      System.gc();
      HeapPeak h = new HeapPeak();
      h.thread.start();
      return h;
    }

    long stop() {
      running = false;
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return peak.get();
    }
  }

  /** Deletes a scratch folder tree. */
  private static final class TableFilesCleanup {
    static void delete(Path p) throws IOException {
      if (!Files.exists(p)) {
        return;
      }
      try (Stream<Path> s = Files.walk(p)) {
        for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(q);
        }
      }
    }
  }
}
