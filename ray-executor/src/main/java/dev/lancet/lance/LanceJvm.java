package dev.lancet.lance;

/**
 * What every JVM that loads Lance through Lancet does first, whatever it runs (a query, a backfill,
 * a plain Java program): Lance's log filter set before its native library reads it, and the
 * native-library copies that dead JVMs left in the temp directory removed (in the background).
 * Called from each way in (the SQL extension, the catalog, {@code Backfill}); no one place precedes
 * them all.
 */
public final class LanceJvm {
  private LanceJvm() {}

  public static void prepare() {
    LanceLogFilter.apply();
    NativeLibraryCopies.removeUnusedInBackground();
  }
}
