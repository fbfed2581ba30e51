package dev.lancet.backfill.store;

import dev.lancet.lance.TableLocation;
import dev.lancet.udf.PinnedJar;
import dev.lancet.udf.UdfClassLoader;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The class loaders pinned code runs in, one per jar set in this JVM ({@link UdfClassLoader}: the
 * set's jars first, then the engine's). One per set, so two columns or two jobs with the same jars
 * share it, and a native library their jars load is loaded once per JVM (a JVM binds a native
 * library to one class loader). At most {@value #KEPT} sets are kept; the least recently used
 * beyond them is closed and dropped, so loaders do not pile up in a long-lived worker.
 */
public final class UdfLoaders {
  /** Jar sets whose loaders a JVM keeps. */
  static final int KEPT = 8;

  private static final Map<List<String>, UdfClassLoader> LOADERS =
      new LinkedHashMap<>(16, 0.75f, true);

  private UdfLoaders() {}

  /**
   * The loader of {@code jars}, fetching each from the jar store of {@code table} the first time
   * (checked against its checksum) and looking in the engine's loader after them.
   */
  public static ClassLoader of(TableLocation table, List<PinnedJar> jars) {
    String store = InternalPaths.CODE.under(table.uri());
    return of(
        jars,
        jar ->
            JarStore.fetch(
                new UdfCode.Jar(jar.name(), jar.sha256(), store), table.storageOptions()));
  }

  /** The loader of {@code jars}, each a local file {@code files} gives (checked by the caller). */
  public static synchronized ClassLoader of(
      List<PinnedJar> jars, java.util.function.Function<PinnedJar, Path> files) {
    List<String> key = jars.stream().map(PinnedJar::sha256).toList();
    UdfClassLoader loader = LOADERS.get(key);
    if (loader != null) {
      return loader;
    }
    List<URL> urls = new ArrayList<>();
    for (PinnedJar jar : jars) {
      try {
        urls.add(files.apply(jar).toUri().toURL());
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
    loader =
        new UdfClassLoader(
            "lancet-udf-" + key.get(0).substring(0, 12), urls, UdfLoaders.class.getClassLoader());
    LOADERS.put(key, loader);
    closeBeyondKept();
    return loader;
  }

  private static void closeBeyondKept() {
    Iterator<Map.Entry<List<String>, UdfClassLoader>> oldest = LOADERS.entrySet().iterator();
    while (LOADERS.size() > KEPT && oldest.hasNext()) {
      UdfClassLoader loader = oldest.next().getValue();
      oldest.remove();
      try {
        loader.close();
      } catch (IOException e) {
        LoggerFactory.getLogger(UdfLoaders.class).debug("closing {}: {}", loader.getName(), e);
      }
    }
  }

  /** Jar sets whose loaders this JVM holds now. */
  static synchronized int held() {
    return LOADERS.size();
  }
}
