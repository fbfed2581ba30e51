package dev.lancet.benchmarks;

import dev.lancet.udf.Udf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;

/** UDFs measured by the benchmarks (the scalar area is the example's {@code Area}). */
public final class BenchUdfs {
  private BenchUdfs() {}

  /** x * y as a batched UDF over Arrow vectors. */
  @Udf(type = "bigint")
  public static class BatchedArea {
    public BigIntVector call(IntVector x, IntVector y) {
      int rows = x.getValueCount();
      BigIntVector out = new BigIntVector("area", x.getAllocator());
      out.allocateNew(rows);
      for (int i = 0; i < rows; i++) {
        if (x.isNull(i) || y.isNull(i)) {
          out.setNull(i);
        } else {
          out.set(i, (long) x.get(i) * y.get(i));
        }
      }
      out.setValueCount(rows);
      return out;
    }
  }

  /**
   * The heavy workload's embedding ({@link HeavyHash}) as a scalar UDF, as a user would write it.
   */
  @Udf(type = "float[256]")
  public static class Embedding {
    private final int[] scratch = new int[HeavyHash.DIM];

    public float[] call(String text) {
      byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      float[] out = new float[HeavyHash.DIM];
      HeavyHash.embed(bytes, 0, bytes.length, out, 0, scratch);
      return out;
    }
  }

  /**
   * The heavy workload's embedding as a batched UDF: Arrow vectors in and out, no object per row.
   */
  @Udf(type = "float[256]")
  public static class BatchedEmbedding {
    private final HeavyHash.Scratch scratch = new HeavyHash.Scratch();

    public org.apache.arrow.vector.complex.FixedSizeListVector call(
        org.apache.arrow.vector.VarCharVector text,
        org.apache.arrow.memory.BufferAllocator allocator) {
      int rows = text.getValueCount();
      var out =
          org.apache.arrow.vector.complex.FixedSizeListVector.empty(
              "embedding", HeavyHash.DIM, allocator);
      out.addOrGetVector(
          org.apache.arrow.vector.types.pojo.FieldType.nullable(
              new org.apache.arrow.vector.types.pojo.ArrowType.FloatingPoint(
                  org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE)));
      out.setInitialCapacity(rows);
      out.allocateNew();
      var data = (org.apache.arrow.vector.Float4Vector) out.getDataVector();
      for (int i = 0; i < rows; i++) {
        if (text.isNull(i)) {
          out.setNull(i);
          continue;
        }
        HeavyHash.embedRow(text, i, data, i, scratch);
        out.setNotNull(i);
      }
      out.setValueCount(rows);
      return out;
    }
  }

  /** The length of a file name, as a scalar UDF. */
  public static class NameLength {
    public int call(String filename) {
      return filename.length();
    }
  }

  /** Floats per vector of the embedding workloads (the reference's float[1536]). */
  public static final int VECTOR_DIM = 1536;

  /**
   * Component {@code j} of row {@code id}'s vector: cheap to compute, so the write path dominates.
   */
  public static float component(long id, int j) {
    return ((id * 7 + j * 13) & 1023) / 1024f;
  }

  /** An embedding as a user's scalar UDF returns it: a new float[1536] per row. */
  @Udf(type = "float[1536]")
  public static class Vector1536 {
    public float[] call(long id) {
      float[] v = new float[VECTOR_DIM];
      for (int j = 0; j < v.length; j++) {
        v[j] = component(id, j);
      }
      return v;
    }
  }

  /** The same vectors as a batched UDF filling a fixed-size list vector. */
  @Udf(type = "float[1536]")
  public static class BatchedVector1536 {
    public org.apache.arrow.vector.complex.FixedSizeListVector call(
        BigIntVector id, org.apache.arrow.memory.BufferAllocator allocator) {
      int rows = id.getValueCount();
      var out =
          org.apache.arrow.vector.complex.FixedSizeListVector.empty("vec", VECTOR_DIM, allocator);
      out.addOrGetVector(
          org.apache.arrow.vector.types.pojo.FieldType.nullable(
              new org.apache.arrow.vector.types.pojo.ArrowType.FloatingPoint(
                  org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE)));
      out.setInitialCapacity(rows);
      out.allocateNew();
      var data = (org.apache.arrow.vector.Float4Vector) out.getDataVector();
      for (int i = 0; i < rows; i++) {
        if (id.isNull(i)) {
          out.setNull(i);
          continue;
        }
        long v = id.get(i);
        int base = i * VECTOR_DIM;
        for (int j = 0; j < VECTOR_DIM; j++) {
          data.set(base + j, component(v, j));
        }
        out.setNotNull(i);
      }
      data.setValueCount(rows * VECTOR_DIM);
      out.setValueCount(rows);
      return out;
    }
  }

  /** Bytes "downloaded" for a file name: what the io-bound workload's UDFs return. */
  public static long downloadedSize(String filename) {
    return 64L * filename.length();
  }

  /**
   * An I/O-bound UDF: each call waits {@code wait_ms} (default 20), as a request to a service
   * would.
   */
  public static class SlowSize {
    private final long waitMillis;

    public SlowSize(java.util.Map<String, String> options) {
      this.waitMillis = Long.parseLong(options.getOrDefault("wait_ms", "20"));
    }

    public long call(String filename) throws InterruptedException {
      Thread.sleep(waitMillis);
      return downloadedSize(filename);
    }
  }
}
