package dev.lancet.lance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Deletes single objects of an {@code s3://} table: Lance's Java API writes and reads objects but
 * deletes only whole prefixes ({@code Dataset.drop}), and a backfill must remove the single files
 * it knows no version references (merged checkpoint parts, files of refused commits, done records).
 * One signed (AWS Signature V4) {@code DELETE} per object, with the table's own storage options
 * (the keys Lance takes: endpoint, region, keys, session token, path or virtual-hosted style, HTTP
 * allowed), else the standard AWS environment variables. Credentials are used for the signature
 * only: never logged, never in an error message.
 */
final class S3Objects {
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final int ATTEMPTS = 4;

  /** What signing needs, read from the storage options once per call. */
  record Settings(
      String accessKey,
      String secretKey,
      String sessionToken,
      String region,
      String endpoint,
      boolean virtualHosted) {
    static Settings of(Map<String, String> options) {
      String endpoint =
          first(options, "aws_endpoint", "aws_endpoint_url", "endpoint", "endpoint_url");
      if (endpoint == null) {
        endpoint = System.getenv("AWS_ENDPOINT_URL");
      }
      String region = first(options, "aws_region", "region");
      if (region == null) {
        region =
            System.getenv("AWS_REGION") != null
                ? System.getenv("AWS_REGION")
                : System.getenv("AWS_DEFAULT_REGION");
      }
      if (region == null) {
        region = "us-east-1";
      }
      String access = first(options, "aws_access_key_id", "access_key_id");
      String secret = first(options, "aws_secret_access_key", "secret_access_key");
      String token = first(options, "aws_session_token", "session_token", "token");
      if (access == null) {
        access = System.getenv("AWS_ACCESS_KEY_ID");
        secret = System.getenv("AWS_SECRET_ACCESS_KEY");
        token = System.getenv("AWS_SESSION_TOKEN");
      }
      String hosted =
          first(options, "aws_virtual_hosted_style_request", "virtual_hosted_style_request");
      // Lance's default: path style with a custom endpoint, virtual-hosted on AWS itself.
      boolean virtual = hosted != null ? Boolean.parseBoolean(hosted) : endpoint == null;
      if (endpoint == null) {
        endpoint = "https://s3." + region + ".amazonaws.com";
      }
      return new Settings(access, secret, token, region, endpoint.replaceAll("/+$", ""), virtual);
    }

    boolean canSign() {
      return accessKey != null && secretKey != null;
    }
  }

  private S3Objects() {}

  private static String first(Map<String, String> options, String... keys) {
    for (String k : keys) {
      for (Map.Entry<String, String> e : options.entrySet()) {
        if (e.getKey().equalsIgnoreCase(k) && e.getValue() != null && !e.getValue().isBlank()) {
          return e.getValue();
        }
      }
    }
    return null;
  }

  /**
   * Deletes {@code s3://bucket/key}; true when it is gone (deleted, or there was nothing), false
   * when it could not be deleted (no credentials to sign with, or the store kept refusing).
   */
  static boolean delete(String uri, Map<String, String> options) {
    URI parsed = URI.create(uri);
    String bucket = parsed.getHost();
    String key = parsed.getRawPath().replaceFirst("^/", "");
    Settings s = Settings.of(options);
    if (!s.canSign() || bucket == null || key.isEmpty()) {
      return false;
    }
    URI target = target(s, bucket, encodePath(key), null);
    int status;
    try {
      status =
          send(
                  "DELETE " + uri,
                  () ->
                      signed(
                              HttpRequest.newBuilder(target)
                                  .DELETE()
                                  .timeout(Duration.ofSeconds(30)),
                              "DELETE",
                              target,
                              s,
                              ZonedDateTime.now(ZoneOffset.UTC))
                          .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
    } catch (IOException e) {
      return false; // the connection kept dropping, or the thread was interrupted
    }
    // Refused for good (permissions), or still failing after the retries: leave it.
    return status == 204 || status == 200 || status == 404;
  }

  /** An object's bytes and its ETag (as the store quotes it). */
  record Got(byte[] body, String etag) {}

  /**
   * {@code GET s3://bucket/key}: its bytes and ETag, or null when there is no such object. Throws
   * when the store cannot tell (no credentials to sign with, refusals, the network).
   */
  static Got get(String uri, Map<String, String> options) throws IOException {
    URI parsed = URI.create(uri);
    Settings s = checkedSettings(parsed, options);
    URI target = target(s, parsed.getHost(), encodePath(key(parsed)), null);
    HttpResponse<byte[]> response =
        send(
            "GET " + uri,
            () ->
                signed(
                        HttpRequest.newBuilder(target).GET().timeout(Duration.ofSeconds(30)),
                        "GET",
                        target,
                        s,
                        ZonedDateTime.now(ZoneOffset.UTC))
                    .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return switch (response.statusCode()) {
      case 200 -> new Got(response.body(), response.headers().firstValue("ETag").orElse(null));
      case 404 -> null;
      default -> throw new IOException("GET " + uri + " answered " + response.statusCode());
    };
  }

  /**
   * {@code PUT s3://bucket/key} of {@code body}, only if the object does not exist ({@code
   * ifNoneMatch}) or has ETag {@code ifMatch} (when not null), else unconditionally. Returns the
   * new ETag, or null when the condition failed. Throws when the store refuses otherwise.
   */
  static String put(
      String uri, byte[] body, Map<String, String> options, String ifMatch, boolean ifNoneMatch)
      throws IOException {
    URI parsed = URI.create(uri);
    Settings s = checkedSettings(parsed, options);
    URI target = target(s, parsed.getHost(), encodePath(key(parsed)), null);
    String payloadHash;
    try {
      payloadHash = hex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    HttpResponse<Void> response =
        send(
            "PUT " + uri,
            () -> {
              HttpRequest.Builder builder =
                  HttpRequest.newBuilder(target)
                      .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                      .timeout(Duration.ofSeconds(30));
              if (ifMatch != null) {
                builder.header("If-Match", ifMatch);
              }
              if (ifNoneMatch) {
                builder.header("If-None-Match", "*");
              }
              return signed(
                      builder, "PUT", target, s, ZonedDateTime.now(ZoneOffset.UTC), payloadHash)
                  .build();
            },
            HttpResponse.BodyHandlers.discarding());
    int status = response.statusCode();
    if (status == 200) {
      return response.headers().firstValue("ETag").orElse("");
    }
    if (status == 412 || status == 409 || (status == 404 && ifMatch != null)) {
      return null; // the condition failed: another writer was first
    }
    throw new IOException("PUT " + uri + " answered " + status);
  }

  /**
   * Sends a request built afresh for each attempt (its signature is dated), trying again after a
   * dropped connection, a 429 or a 5xx, up to {@value #ATTEMPTS} times; returns the first other
   * answer (or the last).
   */
  private static <T> HttpResponse<T> send(
      String what,
      java.util.function.Supplier<HttpRequest> request,
      HttpResponse.BodyHandler<T> body)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<T> response = HTTP.send(request.get(), body);
        int status = response.statusCode();
        if ((status < 500 && status != 429) || attempt >= ATTEMPTS) {
          return response;
        }
      } catch (IOException e) {
        if (attempt >= ATTEMPTS) {
          throw e;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted: " + what, e);
      }
      sleep(100L << attempt);
    }
  }

  private static String key(URI parsed) {
    return parsed.getRawPath().replaceFirst("^/", "");
  }

  private static Settings checkedSettings(URI parsed, Map<String, String> options)
      throws IOException {
    Settings s = Settings.of(options);
    if (!s.canSign()) {
      throw new IOException(
          "no S3 credentials to sign with (storage options or the AWS environment variables)");
    }
    if (parsed.getHost() == null || key(parsed).isEmpty()) {
      throw new IOException("not an object's URI: " + parsed);
    }
    return s;
  }

  /**
   * Whether any object's key starts with {@code s3://bucket/prefix} (one ListObjectsV2 request of
   * one key), or null when it cannot tell (no credentials to sign with, or the store refused).
   */
  static Boolean anyUnder(String uri, Map<String, String> options) {
    URI parsed = URI.create(uri);
    String bucket = parsed.getHost();
    String prefix = parsed.getRawPath().replaceFirst("^/", "");
    Settings s = Settings.of(options);
    if (!s.canSign() || bucket == null) {
      return null;
    }
    URI target =
        target(
            s,
            bucket,
            "",
            "list-type=2&max-keys=1&prefix=" + encodePath(prefix).replace("/", "%2F"));
    try {
      HttpRequest request =
          signed(
                  HttpRequest.newBuilder(target).GET().timeout(Duration.ofSeconds(30)),
                  "GET",
                  target,
                  s,
                  ZonedDateTime.now(ZoneOffset.UTC))
              .build();
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return null;
      }
      return response.body().contains("<Key>");
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * The URL of {@code encodedKey} in {@code bucket} (the bucket itself when empty), with {@code
   * query} or none, in the store's addressing style: virtual-hosted or path.
   */
  private static URI target(Settings s, String bucket, String encodedKey, String query) {
    URI endpoint = URI.create(s.endpoint());
    String path = "/" + encodedKey + (query == null ? "" : "?" + query);
    return s.virtualHosted()
        ? URI.create(
            endpoint.getScheme() + "://" + bucket + "." + endpoint.getRawAuthority() + path)
        : URI.create(s.endpoint() + "/" + bucket + path);
  }

  /** Adds the Signature V4 headers of a body-less request to {@code target}. */
  static HttpRequest.Builder signed(
      HttpRequest.Builder builder, String method, URI target, Settings s, ZonedDateTime now) {
    return signed(builder, method, target, s, now, EMPTY_SHA256);
  }

  /** Adds the Signature V4 headers of a request whose body has SHA-256 {@code payloadHash}. */
  private static HttpRequest.Builder signed(
      HttpRequest.Builder builder,
      String method,
      URI target,
      Settings s,
      ZonedDateTime now,
      String payloadHash) {
    String[] h = signature(method, target, s, now, payloadHash);
    builder
        .header("x-amz-date", h[0])
        .header("x-amz-content-sha256", payloadHash)
        .header("Authorization", h[1]);
    if (s.sessionToken() != null) {
      builder.header("x-amz-security-token", s.sessionToken());
    }
    return builder;
  }

  /** The request's x-amz-date and Authorization header values. */
  static String[] signature(String method, URI target, Settings s, ZonedDateTime now) {
    return signature(method, target, s, now, EMPTY_SHA256);
  }

  private static String[] signature(
      String method, URI target, Settings s, ZonedDateTime now, String payloadHash) {
    String stamp = now.format(STAMP);
    String day = stamp.substring(0, 8);
    String host =
        target.getPort() < 0 ? target.getHost() : target.getHost() + ":" + target.getPort();
    StringBuilder headers =
        new StringBuilder(
            "host:"
                + host
                + "\nx-amz-content-sha256:"
                + payloadHash
                + "\nx-amz-date:"
                + stamp
                + "\n");
    String signedHeaders = "host;x-amz-content-sha256;x-amz-date";
    if (s.sessionToken() != null) {
      headers.append("x-amz-security-token:").append(s.sessionToken()).append('\n');
      signedHeaders += ";x-amz-security-token";
    }
    String path = target.getRawPath().isEmpty() ? "/" : target.getRawPath();
    String canonical =
        String.join(
            "\n",
            method,
            path,
            canonicalQuery(target.getRawQuery()),
            headers.toString(),
            signedHeaders,
            payloadHash);
    String scope = day + "/" + s.region() + "/s3/aws4_request";
    String toSign = String.join("\n", "AWS4-HMAC-SHA256", stamp, scope, hex(sha256(canonical)));
    byte[] key = hmac(("AWS4" + s.secretKey()).getBytes(StandardCharsets.UTF_8), day);
    for (String part : List.of(s.region(), "s3", "aws4_request")) {
      key = hmac(key, part);
    }
    String signature = hex(hmac(key, toSign));
    return new String[] {
      stamp,
      "AWS4-HMAC-SHA256 Credential="
          + s.accessKey()
          + "/"
          + scope
          + ",SignedHeaders="
          + signedHeaders
          + ",Signature="
          + signature
    };
  }

  /**
   * Query parameters sorted by name, each as {@code name=value} (an empty value kept as {@code
   * name=}).
   */
  private static String canonicalQuery(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "";
    }
    return java.util.Arrays.stream(raw.split("&"))
        .map(p -> p.contains("=") ? p : p + "=")
        .sorted()
        .collect(java.util.stream.Collectors.joining("&"));
  }

  /** RFC 3986 encoding of each path segment, as S3's canonical URI wants it. */
  static String encodePath(String key) {
    StringBuilder out = new StringBuilder();
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || c == '/') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
