package dev.lancet.examples;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An async UDF: fetches {@code base_url + filename} over HTTP and returns the body's length,
 * without a thread waiting per request, so a worker keeps {@code max_in_flight} (default 64)
 * requests outstanding. A reply other than 200 fails the row (and is retried under {@code on_error
 * = 'retry'}).
 *
 * <pre>{@code
 * ALTER TABLE videos ADD COLUMN size USING UDF 'dev.lancet.examples.HttpContentLength'
 *   OPTIONS (base_url = 'http://files.internal/videos/', max_in_flight = 128,
 *            on_error = 'retry', retry_on = 'IOException', timeout_ms = 10000)
 * }</pre>
 */
public class HttpContentLength {
  private final String baseUrl;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(
              HttpClient.Version.HTTP_1_1) // plain HTTP: no h2c upgrade round trip per connection
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  public HttpContentLength(Map<String, String> options) {
    String base = options.get("base_url");
    if (base == null || base.isBlank()) {
      throw new IllegalArgumentException(
          "HttpContentLength needs the option base_url, e.g. 'http://host/files/'");
    }
    this.baseUrl = base;
  }

  public CompletableFuture<Long> call(String filename) {
    URI uri =
        URI.create(
            baseUrl + URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20"));
    return client
        .sendAsync(
            HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            r -> {
              if (r.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + r.statusCode() + " for " + uri);
              }
              return (long) r.body().length;
            });
  }
}
