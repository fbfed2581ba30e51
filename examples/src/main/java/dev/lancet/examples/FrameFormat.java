package dev.lancet.examples;

/**
 * A multi-output UDF: three facts about a video frame from one call. Registered as sibling columns,
 * each field of the record is a column of its own, and one call per row computes all three:
 *
 * <pre>
 * ALTER TABLE shots ADD COLUMNS (pixels, aspect, quality) USING UDF 'dev.lancet.examples.FrameFormat'
 * </pre>
 *
 * <p>The columns take the record's types ({@code bigint}, {@code double}, {@code string}) and the
 * names given, in order; a backfill of any of them computes the group.
 */
public class FrameFormat {
  /** The fields become the sibling columns, in this order. */
  public record Format(long pixels, double aspect, String quality) {}

  public Format call(int width, int height) {
    String quality = height >= 2160 ? "4k" : height >= 1080 ? "hd" : "sd";
    return new Format((long) width * height, height == 0 ? 0.0 : (double) width / height, quality);
  }
}
