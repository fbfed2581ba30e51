package com.acme.features;

/**
 * A user's own feature, compiled outside Lancet's build into a jar of its own (the README's
 * "Your own UDF jar" has the lines, which bin/test runs).
 *
 * The inputs (x, y) come from the parameter names (hence {@code -parameters}), the type (bigint)
 * from the return type. A plain scalar UDF like this one needs nothing of Lancet to compile; the
 * udf-bridge jar is there for {@code @Udf}, {@code @Input} and batched UDFs.
 */
public class FramePixels {
  public long call(int x, int y) {
    return (long) x * y;
  }
}
