package dev.lancet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real S3-compatible server process on 127.0.0.1 for the object-store tests: moto's standalone
 * server, whose executable {@code -Dlancet.test.moto-server} names (bin/test installs it into the
 * project's .venv). The tests talk to it as Lance does, over HTTP with the storage options below;
 * this class lists and reads keys itself (moto does not check signatures), to assert what a run
 * wrote.
 */
public final class S3TestServer implements AutoCloseable {
  /** The property naming the moto_server executable. */
  public static final String PROPERTY = "lancet.test.moto-server";

  private static final Pattern KEY = Pattern.compile("<Key>([^<]*)</Key>");
  private static final Pattern TOKEN =
      Pattern.compile("<NextContinuationToken>([^<]*)</NextContinuationToken>");

  private final Process process;
  private final Path log;
  private final String endpoint;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private S3TestServer(Process process, Path log, String endpoint) {
    this.process = process;
    this.log = log;
    this.endpoint = endpoint;
  }

  /** Starts the server on a free port and waits until it answers. */
  public static S3TestServer start() {
    String exe = System.getProperty(PROPERTY);
    if (exe == null || !Files.isExecutable(Path.of(exe))) {
      throw new IllegalStateException(
          "the object-store tests need a real S3 server: -D"
              + PROPERTY
              + "=<path of moto_server> (bin/test installs it: source bin/lib/python-env.sh"
              + " bin/lib/s3-server.sh; lancet_s3_install)");
    }
    try {
      int port = freePort();
      Path log = Files.createTempFile("lancet-s3-server", ".log");
      Process p =
          new ProcessBuilder(exe, "-H", "127.0.0.1", "-p", String.valueOf(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      S3TestServer server = new S3TestServer(p, log, "http://127.0.0.1:" + port);
      server.awaitUp();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void awaitUp() throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the S3 server exited: " + Files.readString(log));
      }
      try {
        if (send("GET", "/moto-api/", null).statusCode() < 500) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      sleep(100);
    }
    close();
    throw new IllegalStateException(
        "the S3 server did not answer within 30 s: " + Files.readString(log));
  }

  public String endpoint() {
    return endpoint;
  }

  /**
   * Lance storage options for this server (the same keys lance-spark takes as {@code
   * storage.<key>}).
   */
  public Map<String, String> storageOptions() {
    return storageOptions(endpoint);
  }

  /** The storage options for a server (or a proxy in front of it) at {@code url}. */
  public static Map<String, String> storageOptions(String url) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("access_key_id", "lancet-test-key");
    o.put("secret_access_key", "lancet-test-secret-7f3a9c");
    o.put("region", "us-east-1");
    o.put("endpoint", url);
    o.put("allow_http", "true");
    o.put("virtual_hosted_style_request", "false");
    return o;
  }

  /** Creates a bucket; returns its {@code s3://} URI. */
  public String createBucket(String name) {
    try {
      HttpResponse<String> r = send("PUT", "/" + name, null);
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "cannot create bucket " + name + ": " + r.statusCode() + " " + r.body());
      }
      return "s3://" + name;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every key of the bucket under {@code prefix}, in order. */
  public List<String> keys(String bucket, String prefix) {
    List<String> out = new ArrayList<>();
    String token = null;
    try {
      do {
        String q =
            "/"
                + bucket
                + "?list-type=2&prefix="
                + enc(prefix)
                + (token == null ? "" : "&continuation-token=" + enc(token));
        HttpResponse<String> r = send("GET", q, null);
        if (r.statusCode() != 200) {
          throw new IllegalStateException(
              "cannot list " + bucket + "/" + prefix + ": " + r.statusCode() + " " + r.body());
        }
        Matcher m = KEY.matcher(r.body());
        while (m.find()) {
          out.add(m.group(1).replace("&amp;", "&"));
        }
        Matcher t = TOKEN.matcher(r.body());
        token = t.find() ? t.group(1) : null;
      } while (token != null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** An object's bytes. */
  public byte[] get(String bucket, String key) {
    try {
      // moto refuses anonymous reads of objects but does not check signatures: any signed-looking
      // request passes.
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(endpoint + "/" + bucket + "/" + encodeKey(key)))
              .GET()
              .header(
                  "Authorization",
                  "AWS4-HMAC-SHA256 Credential=lancet-test-key/20260101/us-east-1/s3/aws4_request,"
                      + " SignedHeaders=host, Signature=0")
              .build();
      HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "cannot read "
                + bucket
                + "/"
                + key
                + ": "
                + r.statusCode()
                + " "
                + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> send(String method, String pathAndQuery, byte[] body)
      throws IOException {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(endpoint + pathAndQuery))
            .method(method, publisher)
            .timeout(Duration.ofSeconds(10))
            .build();
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static String encodeKey(String key) {
    StringBuilder out = new StringBuilder();
    for (String part : key.split("/", -1)) {
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(enc(part).replace("+", "%20"));
    }
    return out.toString();
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      Files.deleteIfExists(log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
