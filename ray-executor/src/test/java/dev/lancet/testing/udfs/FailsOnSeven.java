package dev.lancet.testing.udfs;

/** Throws on the row whose id is 7; the tests check the error names that row. */
public class FailsOnSeven {
  public int call(int id) {
    if (id == 7) {
      throw new IllegalArgumentException("id 7 is not allowed");
    }
    return id;
  }
}
