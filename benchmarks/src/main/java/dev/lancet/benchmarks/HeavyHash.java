package dev.lancet.benchmarks;

/**
 * The heavy workload's CPU-bound "embedding": 256 floats from a string's bytes, each an FNV-1a
 * style hash of the bytes under its own seed. The same arithmetic is written in Python for the
 * Python anchors ({@code benchmarks/python/anchors.py}); every value is a multiple of 2^-24 in
 * [-0.5, 0.5), so sums of them are exact in a double whatever the order.
 */
public final class HeavyHash {
  /** Floats per value. */
  public static final int DIM = 256;

  private static final int PRIME = 16777619;
  private static final int[] SEEDS = new int[DIM];

  static {
    for (int d = 0; d < DIM; d++) {
      SEEDS[d] = 0x811C9DC5 ^ (d * 0x9E3779B1);
    }
  }

  private HeavyHash() {}

  /**
   * Writes the embedding of {@code len} bytes at {@code off} into {@code out[outOff ..
   * outOff+256)}; {@code h} is scratch space of 256 ints (passed in so a loop allocates nothing).
   */
  public static void embed(byte[] bytes, int off, int len, float[] out, int outOff, int[] h) {
    System.arraycopy(SEEDS, 0, h, 0, DIM);
    // Bytes outside, dimensions inside: the inner loop is independent per lane and vectorizes.
    for (int i = 0; i < len; i++) {
      int b = bytes[off + i] & 0xFF;
      for (int d = 0; d < DIM; d++) {
        h[d] = (h[d] ^ b) * PRIME;
      }
    }
    for (int d = 0; d < DIM; d++) {
      out[outOff + d] = (h[d] >>> 8) * (1f / 16777216f) - 0.5f;
    }
  }

  /** Scratch space for {@link #embedRow}; one per thread. */
  public static final class Scratch {
    private byte[] bytes = new byte[64];
    private final float[] values = new float[DIM];
    private final int[] h = new int[DIM];
  }

  /**
   * Embeds row {@code row} of {@code text} into {@code data}, the float child of a fixed-size list
   * vector, at list slot {@code target}: what both the batched UDF and the lower bound do per row.
   */
  public static void embedRow(
      org.apache.arrow.vector.VarCharVector text,
      int row,
      org.apache.arrow.vector.Float4Vector data,
      int target,
      Scratch s) {
    int start = text.getStartOffset(row);
    int len = text.getEndOffset(row) - start;
    if (s.bytes.length < len) {
      s.bytes = new byte[len];
    }
    text.getDataBuffer().getBytes(start, s.bytes, 0, len);
    embed(s.bytes, 0, len, s.values, 0, s.h);
    int base = target * DIM;
    for (int d = 0; d < DIM; d++) {
      data.set(base + d, s.values[d]);
    }
  }
}
