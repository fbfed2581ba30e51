package dev.lancet.testing.udfs;

/** x * y, widened so it cannot overflow. */
public class Area {
  public long call(int x, int y) {
    return (long) x * y;
  }
}
