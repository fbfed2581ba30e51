package dev.lancet.lance;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The one Arrow root allocator of this JVM. Every task takes a child of it and closes the child
 * when done, so a leak shows as an error on that task's close.
 */
public final class Allocators {
  private static final BufferAllocator ROOT = new RootAllocator(Long.MAX_VALUE);

  static {
    // Every Lancet JVM (driver or worker) passes here before it opens a table.
    dev.lancet.lance.NativeLibraryCopies.removeUnusedInBackground();
  }

  private Allocators() {}

  public static BufferAllocator root() {
    return ROOT;
  }

  /** A child allocator for one unit of work; the caller closes it. */
  public static BufferAllocator child(String name) {
    return ROOT.newChildAllocator(name, 0, Long.MAX_VALUE);
  }
}
