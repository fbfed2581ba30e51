package dev.lancet.testing;

import dev.lancet.backfill.VirtualColumns;
import java.util.Map;

/**
 * A child JVM that opens a Lance table (unpacking lance's native library) and then waits to be
 * killed.
 */
public final class OpenTableMain {
  private OpenTableMain() {}

  public static void main(String[] args) throws Exception {
    VirtualColumns.list(args[0], Map.of());
    System.out.println("opened");
    System.out.flush();
    Thread.sleep(120_000);
  }
}
