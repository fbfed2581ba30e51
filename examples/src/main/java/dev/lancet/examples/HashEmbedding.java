package dev.lancet.examples;

import dev.lancet.udf.Udf;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stateful, embedding-style UDF: text to a fixed-size {@code float[16]} vector. Its options come
 * from registration ({@code OPTIONS ('seed' = '7')}) through the constructor; the expensive part,
 * standing in for loading a model, happens in {@code setup()}, which Lancet runs once per worker
 * before its first batch, never per row or batch. {@link #setups()} counts those calls in this JVM
 * so tests and the example can show it.
 *
 * <pre>ALTER TABLE videos ADD COLUMN embedding USING UDF 'dev.lancet.examples.HashEmbedding'
 *     INPUTS (caption) OPTIONS ('seed' = '7')</pre>
 */
@Udf(type = "float[16]")
public class HashEmbedding implements AutoCloseable {
  /** Vector size. */
  public static final int DIM = 16;

  private static final AtomicInteger SETUPS = new AtomicInteger();

  private final long seed;
  private float[][] table;

  public HashEmbedding(Map<String, String> options) {
    this.seed = Long.parseLong(options.getOrDefault("seed", "42"));
  }

  /** Builds the projection table: the "model load" that must happen once per worker. */
  public void setup() {
    SETUPS.incrementAndGet();
    Random random = new Random(seed);
    table = new float[256][DIM];
    for (float[] row : table) {
      for (int d = 0; d < DIM; d++) {
        row[d] = (float) random.nextGaussian();
      }
    }
  }

  public float[] call(String text) {
    if (text == null) {
      return null;
    }
    float[] v = new float[DIM];
    for (int i = 0; i < text.length(); i++) {
      float[] row = table[text.charAt(i) & 0xFF];
      for (int d = 0; d < DIM; d++) {
        v[d] += row[d];
      }
    }
    float norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = (float) Math.sqrt(norm);
    for (int d = 0; d < DIM && norm > 0; d++) {
      v[d] /= norm;
    }
    return v;
  }

  @Override
  public void close() {
    table = null;
  }

  /** How many times {@link #setup()} ran in this JVM. */
  public static int setups() {
    return SETUPS.get();
  }
}
