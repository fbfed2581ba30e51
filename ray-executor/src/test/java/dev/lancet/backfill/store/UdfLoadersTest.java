package dev.lancet.backfill.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.lancet.udf.CodeIdentity;
import dev.lancet.udf.PinnedJar;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One class loader per jar set in a JVM, shared by who runs it, and only so many kept. */
class UdfLoadersTest {
  @TempDir Path dir;

  private PinnedJar jar(String name, List<Path> paths) throws Exception {
    Path p = dir.resolve(name + ".jar");
    try (OutputStream out = Files.newOutputStream(p);
        JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new ZipEntry("which.txt"));
      j.write(name.getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    paths.add(p);
    return new PinnedJar(name + ".jar", CodeIdentity.sha256(p));
  }

  private static ClassLoader loader(PinnedJar jar, Path file) {
    return UdfLoaders.of(List.of(jar), j -> file);
  }

  @Test
  void theSameJarSetSharesOneLoaderAndTheLeastRecentlyUsedBeyondTheKeptOnesIsReleased()
      throws Exception {
    List<Path> files = new java.util.ArrayList<>();
    PinnedJar first = jar("first", files);
    ClassLoader firstLoader = loader(first, files.get(0));
    assertSame(firstLoader, loader(first, files.get(0)), "one loader per jar set");
    assertEquals(
        "first",
        new String(
            firstLoader.getResourceAsStream("which.txt").readAllBytes(), StandardCharsets.UTF_8),
        "its own jar first");
    WeakReference<ClassLoader> released = new WeakReference<>(firstLoader);
    firstLoader = null;

    for (int i = 0; i < UdfLoaders.KEPT; i++) {
      PinnedJar other = jar("other" + i, files);
      assertNotNull(loader(other, files.get(files.size() - 1)));
    }

    assertEquals(UdfLoaders.KEPT, UdfLoaders.held());
    for (int i = 0; i < 50 && released.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(released.get(), "the released loader was collected: nothing pins it");
  }
}
