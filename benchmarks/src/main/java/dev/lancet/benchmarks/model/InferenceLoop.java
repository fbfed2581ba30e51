package dev.lancet.benchmarks.model;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bare inference loop: the UDF's model ({@code com.acme.embed.MiniLm}, from the user's jars)
 * called by plain Java threads, one model per thread as one per worker, each taking the next batch
 * of texts. Nothing is read or written: the lower bound of any engine running this model.
 */
final class InferenceLoop implements AutoCloseable {
  private final URLClassLoader loader;
  private final int threads;

  InferenceLoop(List<Path> jars, String udfClass, int threads) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (Path jar : jars) {
      urls.add(jar.toUri().toURL());
    }
    this.loader = new URLClassLoader(urls.toArray(URL[]::new), getClass().getClassLoader());
    this.threads = threads;
    loader.loadClass(udfClass); // the UDF's own jar is there
  }

  /** Every text's embedding, in order; each model is loaded inside the timed run, as setup() is. */
  float[][] run(List<String> texts, int batch) throws Exception {
    Class<?> model = loader.loadClass("com.acme.embed.MiniLm");
    Method load = model.getMethod("load");
    Method embed = model.getMethod("embed", List.class);
    float[][] out = new float[texts.size()][];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  try (AutoCloseable m = (AutoCloseable) load.invoke(null)) {
                    for (int from = next.getAndAdd(batch);
                        from < texts.size();
                        from = next.getAndAdd(batch)) {
                      int to = Math.min(texts.size(), from + batch);
                      float[][] e = (float[][]) embed.invoke(m, texts.subList(from, to));
                      System.arraycopy(e, 0, out, from, e.length);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    loader.close();
  }
}
