package dev.lancet.benchmarks.backfill;

/**
 * What a computed column adds up to: rows with a value, and the sum of the values (area) or of
 * every float of every vector (embedding). Both sums are exact, so results must match exactly.
 *
 * @param rows rows with a non-null value
 * @param longSum sum of the bigint values (wrapping), or 0
 * @param floatSum sum of all floats, or 0
 */
public record Checksum(long rows, long longSum, double floatSum) {
  /** Parses {@link #toString()}'s compact form. */
  static Checksum parse(String s) {
    String[] p = s.split(",");
    return new Checksum(Long.parseLong(p[0]), Long.parseLong(p[1]), Double.parseDouble(p[2]));
  }

  String compact() {
    return rows + "," + longSum + "," + floatSum;
  }
}
