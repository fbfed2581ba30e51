package com.acme.features;

/**
 * A user's multi-output feature: one call per row fills two sibling columns
 * ({@code ADD COLUMNS (pixels, orientation) USING UDF 'com.acme.features.FrameShape'}).
 */
public class FrameShape {
  /** The record's fields become the sibling columns, in order. */
  public record Shape(long pixels, String orientation) {}

  public Shape call(int x, int y) {
    return new Shape((long) x * y, x >= y ? "wide" : "tall");
  }
}
