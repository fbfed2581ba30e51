package dev.lancet.testing.udfs;

import java.util.Map;

/** An embedding-width output: 768 floats, {@code id + offset + k} at position k. */
public class Embedding768 {
  private final int offset;

  public Embedding768(Map<String, String> options) {
    this.offset = Integer.parseInt(options.getOrDefault("offset", "0"));
  }

  public float[] call(int id) {
    float[] v = new float[768];
    for (int k = 0; k < v.length; k++) {
      v[k] = id + offset + k;
    }
    return v;
  }
}
