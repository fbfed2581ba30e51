package dev.lancet.testing.udfs;

/** A variable-length list output: {@code [x, y]} as floats. */
public class Floats {
  public float[] call(int x, int y) {
    return new float[] {x, y};
  }
}
