package dev.lancet.testing.udfs;

/**
 * x * y, widened so it cannot overflow. Its options change nothing but the UDF version (a note the
 * user gives to recompute), so it declares them.
 */
@dev.lancet.udf.Udf(options = {"note", "k"})
public class Area {
  public long call(int x, int y) {
    return (long) x * y;
  }
}
