package dev.lancet.udf;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader a UDF's code runs in: its jar and the jars given with it, looked in first, so a
 * UDF built against another version of a library the engine also carries (Guava, Jackson,
 * commons-lang3, protobuf, ...) runs with its own. Only the shared API comes from the engine's
 * loader first ({@link #SHARED}): the JDK, Lancet's UDF API, the Arrow classes batched signatures
 * use, and slf4j; a class none of the UDF's jars holds falls back to the engine's loader.
 */
public final class UdfClassLoader extends URLClassLoader {
  static {
    registerAsParallelCapable();
  }

  /**
   * Package prefixes always taken from the engine's loader: a UDF's jar that bundles them (a fat
   * jar with Arrow or the UDF API inside) must not get classes the engine cannot hand values to.
   */
  public static final List<String> SHARED =
      List.of(
          "java.",
          "javax.",
          "jdk.",
          "sun.",
          "com.sun.",
          "org.w3c.",
          "org.xml.",
          "dev.lancet.",
          "org.apache.arrow.",
          "org.slf4j.");

  /** A loader over {@code jars} (in class-path order) above {@code parent}. */
  public UdfClassLoader(String name, List<URL> jars, ClassLoader parent) {
    super(name, jars.toArray(URL[]::new), parent);
  }

  /** Whether {@code className} is part of the API shared with the engine. */
  public static boolean shared(String className) {
    for (String prefix : SHARED) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (shared(name)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        try {
          c = findClass(name);
        } catch (ClassNotFoundException notOurs) {
          c = getParent().loadClass(name);
        }
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  @Override
  public URL getResource(String name) {
    if (shared(name.replace('/', '.'))) {
      return super.getResource(name);
    }
    URL own = findResource(name);
    return own != null ? own : getParent().getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    if (shared(name.replace('/', '.'))) {
      return super.getResources(name);
    }
    List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
    all.addAll(Collections.list(getParent().getResources(name)));
    return Collections.enumeration(all);
  }
}
