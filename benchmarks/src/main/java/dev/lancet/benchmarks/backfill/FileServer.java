package dev.lancet.benchmarks.backfill;

import com.sun.net.httpserver.HttpServer;
import dev.lancet.benchmarks.BenchUdfs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The io-bound workload's "file store": an HTTP server on 127.0.0.1 that answers {@code GET
 * /files/<name>} after {@value #DELAY_MS} ms with {@link BenchUdfs#downloadedSize} bytes, as a
 * remote store or an embedding service would take its time. Started by the benchmark, stopped at
 * its end; nothing leaves the machine.
 */
final class FileServer implements AutoCloseable {
  static final int DELAY_MS = 20;
  private final HttpServer server;
  private final ExecutorService threads =
      Executors.newFixedThreadPool(
          512,
          r -> {
            Thread t = new Thread(r, "bench-file-server");
            t.setDaemon(true);
            return t;
          });

  FileServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    server.setExecutor(threads);
    server.createContext(
        "/files/",
        exchange -> {
          try (exchange) {
            String name = exchange.getRequestURI().getPath().substring("/files/".length());
            Thread.sleep(DELAY_MS);
            byte[] body = new byte[(int) BenchUdfs.downloadedSize(name)];
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
  }

  /** The base URL a file name is appended to. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/files/";
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
