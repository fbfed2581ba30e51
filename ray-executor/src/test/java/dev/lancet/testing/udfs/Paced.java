package dev.lancet.testing.udfs;

/** x * y, 10 ms a row: a fragment that takes seconds, for progress within it. */
public class Paced {
  public long call(int x, int y) throws InterruptedException {
    Thread.sleep(10);
    return (long) x * y;
  }
}
