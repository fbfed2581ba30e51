package dev.lancet.examples;

/**
 * A scalar UDF: the pixel area of a video frame. Its input columns come from the parameter names
 * ({@code x}, {@code y}); its output type from the return type ({@code long} is {@code bigint}).
 *
 * <pre>ALTER TABLE videos ADD COLUMN area USING UDF 'dev.lancet.examples.Area'</pre>
 */
public class Area {
  public long call(int x, int y) {
    return (long) x * y;
  }
}
