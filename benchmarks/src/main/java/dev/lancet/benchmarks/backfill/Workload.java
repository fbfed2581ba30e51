package dev.lancet.benchmarks.backfill;

import dev.lancet.benchmarks.BenchUdfs;
import dev.lancet.examples.Area;
import java.util.List;
import java.util.Locale;

// Longer than 300 lines: the workloads are one table of shapes and their expected checksums, read
// side by side.
/**
 * A table shape and the column computed on it. Sizes are the at {@code --scale 1}.
 *
 * @param name as on the command line
 * @param shape the generated table
 * @param rowsAtScaleOne rows of the generated table at scale 1
 * @param minRows rows at least, whatever the scale
 * @param column the computed column
 * @param output what the column holds, for the lower bound and the checksum
 * @param inputs the UDF's input columns
 * @param scalarUdf Lancet's scalar UDF class
 * @param batchedUdf Lancet's batched UDF class, or null
 * @param udfOptions the registration's OPTIONS (SQL, without the parentheses), or empty
 * @param filter the BACKFILL's WHERE (a Lance filter), or null for every row
 * @param kind how the run starts: from an empty column, after 1% new rows, or with nothing to do
 */
public record Workload(
    String name,
    Shape shape,
    long rowsAtScaleOne,
    long minRows,
    String column,
    Output output,
    List<String> inputs,
    String scalarUdf,
    String batchedUdf,
    String udfOptions,
    String filter,
    Kind kind) {

  /** What the computed column holds. */
  public enum Output {
    /** x * y, bigint. */
    AREA,
    /** 256 floats hashed from a text ({@link dev.lancet.benchmarks.HeavyHash}). */
    HASHED_TEXT,
    /** 1536 floats, a function of the id ({@link BenchUdfs#component}). */
    VECTOR,
    /**
     * The bytes "downloaded" for a file name ({@link BenchUdfs#downloadedSize}), after 20 ms each.
     */
    SIZE;

    /** Bytes of one computed value (the column's data written per row). */
    public int bytesPerRow() {
      return switch (this) {
        case AREA, SIZE -> Long.BYTES;
        case HASHED_TEXT -> dev.lancet.benchmarks.HeavyHash.DIM * Float.BYTES;
        case VECTOR -> dev.lancet.benchmarks.BenchUdfs.VECTOR_DIM * Float.BYTES;
      };
    }
  }

  /** How a timed run starts. */
  public enum Kind {
    /** The column is empty: every row is computed. */
    FULL,
    /** The narrow table computed in full, then 1% new rows appended: only they are computed. */
    INCREMENTAL,
    /** The narrow table computed in full: the run has nothing to compute (the fixed cost). */
    NOTHING_TO_DO
  }

  /** The generated tables: their columns and how their rows are split into fragments. */
  public enum Shape {
    NARROW,
    WIDE,
    HEAVY,
    HEAVY_ONE_FRAGMENT,
    VECTORS,
    VECTORS_ONE_FRAGMENT,
    MANY_FRAGMENTS,
    TWO_FRAGMENTS,
    FILES;

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** 10M rows of (id, x, y); area = x * y. */
  public static final Workload NARROW =
      new Workload(
          "narrow",
          Shape.NARROW,
          10_000_000L,
          1000,
          "area",
          Output.AREA,
          List.of("x", "y"),
          Area.class.getName(),
          BenchUdfs.BatchedArea.class.getName(),
          "",
          null,
          Kind.FULL);

  /** 2M rows of (id, x, y, 512-byte payload); area = x * y. */
  public static final Workload WIDE =
      new Workload(
          "wide",
          Shape.WIDE,
          2_000_000L,
          1000,
          "area",
          Output.AREA,
          List.of("x", "y"),
          Area.class.getName(),
          BenchUdfs.BatchedArea.class.getName(),
          "",
          null,
          Kind.FULL);

  /** 500K rows of (id, 32-character text); a 256-float hash embedding of the text. */
  public static final Workload HEAVY =
      new Workload(
          "heavy",
          Shape.HEAVY,
          500_000L,
          1000,
          "embedding",
          Output.HASHED_TEXT,
          List.of("text"),
          BenchUdfs.Embedding.class.getName(),
          BenchUdfs.BatchedEmbedding.class.getName(),
          "",
          null,
          Kind.FULL);

  /**
   * The heavy table's rows in one fragment of 1M rows, as Lance writes them (issue 23): only a
   * split of the fragment into row ranges lets more than one worker compute it.
   */
  public static final Workload BIG_FRAGMENT =
      new Workload(
          "big-fragment",
          Shape.HEAVY_ONE_FRAGMENT,
          1_000_000L,
          1000,
          "embedding",
          Output.HASHED_TEXT,
          List.of("text"),
          BenchUdfs.Embedding.class.getName(),
          BenchUdfs.BatchedEmbedding.class.getName(),
          "",
          null,
          Kind.FULL);

  /** The narrow table fully backfilled, then 1% new rows appended and backfilled. */
  public static final Workload INCREMENTAL =
      new Workload(
          "incremental",
          Shape.NARROW,
          NARROW.rowsAtScaleOne,
          1000,
          "area",
          Output.AREA,
          List.of("x", "y"),
          Area.class.getName(),
          null,
          "",
          null,
          Kind.INCREMENTAL);

  /** 1M rows of (id, x) in 2 fragments; a float[1536] per row (6 GB at scale 1). */
  public static final Workload EMBEDDING =
      new Workload(
          "embedding",
          Shape.VECTORS,
          1_000_000L,
          1000,
          "vec",
          Output.VECTOR,
          List.of("id"),
          BenchUdfs.Vector1536.class.getName(),
          BenchUdfs.BatchedVector1536.class.getName(),
          "",
          null,
          Kind.FULL);

  /**
   * The same rows in one fragment, half of them computed ({@code WHERE x < 5}): memory must not
   * follow the fragment.
   */
  public static final Workload EMBEDDING_FILTERED =
      new Workload(
          "embedding-filtered",
          Shape.VECTORS_ONE_FRAGMENT,
          1_000_000L,
          1000,
          "vec",
          Output.VECTOR,
          List.of("id"),
          BenchUdfs.Vector1536.class.getName(),
          BenchUdfs.BatchedVector1536.class.getName(),
          "",
          "x < 5",
          Kind.FULL);

  /** 200K rows of (id, x, y) in 2,000 fragments of 100; area = x * y. */
  public static final Workload MANY_FRAGMENTS =
      new Workload(
          "many-fragments",
          Shape.MANY_FRAGMENTS,
          200_000L,
          1000,
          "area",
          Output.AREA,
          List.of("x", "y"),
          Area.class.getName(),
          BenchUdfs.BatchedArea.class.getName(),
          "",
          null,
          Kind.FULL);

  /** The same rows in 2 fragments: what the per-fragment cost is measured against. */
  public static final Workload FEW_FRAGMENTS =
      new Workload(
          "few-fragments",
          Shape.TWO_FRAGMENTS,
          200_000L,
          1000,
          "area",
          Output.AREA,
          List.of("x", "y"),
          Area.class.getName(),
          BenchUdfs.BatchedArea.class.getName(),
          "",
          null,
          Kind.FULL);

  /** 2,000 file names; each value takes a 20 ms request, 64 in flight per worker. */
  public static final Workload IO_BOUND =
      new Workload(
          "io-bound",
          Shape.FILES,
          2_000L,
          100,
          "size",
          Output.SIZE,
          List.of("filename"),
          BenchUdfs.SlowSize.class.getName(),
          null,
          "max_in_flight = 64",
          null,
          Kind.FULL);

  /** The narrow table computed in full, BACKFILL again: nothing to compute, nothing to commit. */
  public static final Workload RERUN =
      new Workload(
          "rerun",
          Shape.NARROW,
          NARROW.rowsAtScaleOne,
          1000,
          "area",
          Output.AREA,
          List.of("x", "y"),
          Area.class.getName(),
          null,
          "",
          null,
          Kind.NOTHING_TO_DO);

  public static final List<Workload> ALL =
      List.of(
          NARROW,
          WIDE,
          HEAVY,
          INCREMENTAL,
          EMBEDDING,
          EMBEDDING_FILTERED,
          MANY_FRAGMENTS,
          FEW_FRAGMENTS,
          IO_BOUND,
          RERUN,
          BIG_FRAGMENT);

  /**
   * Other names of workloads: issue 23's {@code embedding-1m} (the filtered 1M-row {@code
   * float[1536]} fragment, checkpoints on) is {@code embedding-filtered}.
   */
  private static final java.util.Map<String, String> ALIASES =
      java.util.Map.of("embedding-1m", "embedding-filtered");

  /** Payload bytes per row of the wide table. */
  public static final int PAYLOAD_BYTES = 512;

  /** Characters of each text of the heavy table. */
  public static final int TEXT_CHARS = 32;

  /**
   * Fragments of the many-fragments table at most (fewer at small scales: 10 rows each at least).
   */
  public static final int MANY = 2000;

  public static Workload named(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    String wanted = ALIASES.getOrDefault(lower, lower);
    return ALL.stream()
        .filter(w -> w.name.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown workload '"
                        + name
                        + "'; known: "
                        + ALL.stream().map(Workload::name).toList()));
  }

  /** Whether the run starts from a table Lancet computed in full (incremental, rerun). */
  public boolean prepared() {
    return kind != Kind.FULL;
  }

  /** Whether the run computes 1% new rows after a full backfill. */
  public boolean incremental() {
    return kind == Kind.INCREMENTAL;
  }

  /** Whether a row is in the filter (every row without one). */
  public boolean selects(long id) {
    return filter == null
        || TableGenerator.vectorX(id) < 5; // the one filter used: x < 5 on the vectors table
  }

  public long rows(double scale) {
    return Math.max(minRows, Math.round(rowsAtScaleOne * scale));
  }
}
