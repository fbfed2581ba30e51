package dev.lancet.testing.udfs;

import dev.lancet.udf.Udf;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cheap UDF of a wide output: 32 floats, {@code id + k} at position k; notes which threads (Ray
 * LOCAL mode's workers) called it.
 */
@Udf(type = "float[32]")
public class Wide32 {
  public static final Set<String> THREADS = ConcurrentHashMap.newKeySet();

  public float[] call(int id) {
    THREADS.add(Thread.currentThread().getName());
    float[] v = new float[32];
    for (int k = 0; k < v.length; k++) {
      v[k] = id + k;
    }
    return v;
  }
}
