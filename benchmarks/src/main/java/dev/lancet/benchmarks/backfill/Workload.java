package dev.lancet.benchmarks.backfill;

import dev.lancet.benchmarks.BenchUdfs;
import dev.lancet.examples.Area;
import java.util.List;
import java.util.Locale;

/**
 * A table shape and the column computed on it. Sizes are the at {@code --scale 1}.
 *
 * @param name as on the command line
 * @param rowsAtScaleOne rows of the generated table at scale 1
 * @param column the computed column
 * @param inputs the UDF's input columns
 * @param scalarUdf Lancet's scalar UDF class
 * @param batchedUdf Lancet's batched UDF class, or null
 * @param incremental whether the run is an incremental backfill after 1% new rows
 */
public record Workload(String name, long rowsAtScaleOne, String column, List<String> inputs, String scalarUdf,
    String batchedUdf, boolean incremental) {

  /** 10M rows of (id, x, y); area = x * y. */
  public static final Workload NARROW = new Workload("narrow", 10_000_000L, "area", List.of("x", "y"),
      Area.class.getName(), BenchUdfs.BatchedArea.class.getName(), false);
  /** 2M rows of (id, x, y, 512-byte payload); area = x * y. */
  public static final Workload WIDE = new Workload("wide", 2_000_000L, "area", List.of("x", "y"),
      Area.class.getName(), BenchUdfs.BatchedArea.class.getName(), false);
  /** 500K rows of (id, 32-character text); a 256-float hash embedding of the text. */
  public static final Workload HEAVY = new Workload("heavy", 500_000L, "embedding", List.of("text"),
      BenchUdfs.Embedding.class.getName(), BenchUdfs.BatchedEmbedding.class.getName(), false);
  /** The narrow table fully backfilled, then 1% new rows appended and backfilled. */
  public static final Workload INCREMENTAL = new Workload("incremental", NARROW.rowsAtScaleOne(), "area", List.of("x", "y"),
      Area.class.getName(), null, true);

  public static final List<Workload> ALL = List.of(NARROW, WIDE, HEAVY, INCREMENTAL);

  /** Payload bytes per row of the wide table. */
  public static final int PAYLOAD_BYTES = 512;
  /** Characters of each text of the heavy table. */
  public static final int TEXT_CHARS = 32;

  public static Workload named(String name) {
    return ALL.stream().filter(w -> w.name.equals(name.toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + name + "'; known: "
            + ALL.stream().map(Workload::name).toList()));
  }

  /** Whether the column is the embedding (a fixed-size list of floats) rather than area (bigint). */
  public boolean embedding() {
    return column.equals("embedding");
  }

  /** The table this workload starts from: its own, or the narrow one for the incremental run. */
  public String tableShape() {
    return incremental ? NARROW.name : name;
  }

  public long rows(double scale) {
    return Math.max(1000, Math.round(rowsAtScaleOne * scale));
  }
}
