package dev.lancet.lance;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Keeps Lance's expected "DataReplacement ... is not stable yet" warning (one per column commit:
 * Lancet checks each fragment's rows itself before committing) from reaching users of any client.
 *
 * <p>Lance's native logger reads its filter from the {@code LANCE_LOG} environment variable once,
 * when the first Lance class loads, and has no Java API (see docs/stack-notes.md). So when the user
 * has not set {@code LANCE_LOG}, this sets it in the process environment (libc {@code setenv}
 * through JNA, which Ray's runtime already carries) to Lance's default level with that one module
 * raised to errors. Called where a Lancet session or backfill starts, before Lance loads; a no-op
 * after the first call, or where it cannot be done (the warning then shows, nothing else changes).
 */
public final class LanceLogFilter {
  /** Lance's default ({@code warn}) with the transaction module's warnings dropped. */
  public static final String FILTER = "warn,lance::dataset::transaction=error";

  private static volatile boolean applied;

  private LanceLogFilter() {}

  /** Sets {@code LANCE_LOG} to {@link #FILTER} unless the user set it; true if it is set now. */
  public static synchronized boolean apply() {
    if (applied || System.getenv("LANCE_LOG") != null) {
      return true;
    }
    try {
      applied = C.INSTANCE.setenv("LANCE_LOG", FILTER, 0) == 0;
    } catch (Throwable e) { // no JNA or no libc (another platform): only the warning stays
      applied = false;
    }
    return applied;
  }

  private interface C extends Library {
    C INSTANCE = Native.load("c", C.class);

    int setenv(String name, String value, int overwrite);
  }
}
