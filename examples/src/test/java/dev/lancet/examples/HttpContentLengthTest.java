package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.lancet.spark.testing.SparkTestSession;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The async example against a real HTTP server that takes 20 ms a request: many requests at once,
 * each row once.
 */
class HttpContentLengthTest {
  @Test
  void anAsyncUdfFetchesEveryRowOnceWithManyRequestsOutstanding() throws Exception {
    AtomicInteger open = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    Map<String, Integer> requests = new ConcurrentHashMap<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    server.setExecutor(Executors.newFixedThreadPool(64));
    server.createContext(
        "/files/",
        exchange -> {
          most.accumulateAndGet(open.incrementAndGet(), Math::max);
          try {
            String name = exchange.getRequestURI().getPath().substring("/files/".length());
            requests.merge(name, 1, Integer::sum);
            Thread.sleep(20);
            byte[] body = ("content of " + name).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(name.startsWith("missing") ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            exchange.close();
            open.decrementAndGet();
          }
        });
    server.start();
    try (SparkTestSession session = new SparkTestSession()) {
      SparkSession spark = session.spark();
      spark.sql("CREATE TABLE files (filename STRING)");
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        values
            .append(i == 0 ? "" : ", ")
            .append("('")
            .append(i == 7 ? "missing-7" : "file " + i)
            .append("')");
      }
      spark.sql("INSERT INTO files VALUES " + values);
      String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/files/";
      spark.sql(
          "ALTER TABLE files ADD COLUMN size USING UDF 'dev.lancet.examples.HttpContentLength'"
              + " OPTIONS (base_url = '"
              + base
              + "', max_in_flight = 32, on_error = 'null')");
      Row result =
          spark.sql("BACKFILL files (size) OPTIONS (concurrency = 1)").collectAsList().get(0);

      assertEquals(
          200L, result.getLong(result.fieldIndex("rows_computed")), "computed, one of them failed");
      assertEquals(1L, result.getLong(result.fieldIndex("rows_failed")), "the 404");
      assertEquals(200, requests.size());
      requests.values().forEach(n -> assertEquals(1, n, "each file fetched once"));
      assertTrue(most.get() > 8 && most.get() <= 32, "up to 32 requests at once: " + most.get());
      List<Row> rows = spark.sql("SELECT filename, size FROM files").collectAsList();
      for (Row r : rows) {
        String name = r.getString(0);
        Object want = name.startsWith("missing") ? null : (long) ("content of " + name).length();
        assertEquals(want, r.get(1), "size of " + name);
      }
      Row error = spark.sql("SHOW BACKFILL ERRORS IN files").collectAsList().get(0);
      assertTrue(error.mkString(" ").contains("HTTP 404"), error.mkString(" "));
    } finally {
      server.stop(0);
    }
  }
}
