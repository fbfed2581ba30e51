package dev.lancet.ray;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What must forget Ray state (actor handles) when Ray shuts down. */
public final class ShutdownListeners {
  private static final List<Runnable> LISTENERS = new CopyOnWriteArrayList<>();

  private ShutdownListeners() {}

  /** Runs {@code listener} after every Ray shutdown. */
  public static void add(Runnable listener) {
    LISTENERS.add(listener);
  }

  static void run() {
    LISTENERS.forEach(Runnable::run);
  }
}
