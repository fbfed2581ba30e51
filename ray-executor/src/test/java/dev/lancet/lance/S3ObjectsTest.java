package dev.lancet.lance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Signature V4 of S3 requests matches AWS's published examples; settings come from Lance's
 * option keys.
 */
class S3ObjectsTest {
  private static final S3Objects.Settings EXAMPLE =
      new S3Objects.Settings(
          "AKIAIOSFODNN7EXAMPLE",
          "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
          null,
          "us-east-1",
          "https://s3.amazonaws.com",
          true);
  private static final ZonedDateTime MAY_24_2013 =
      ZonedDateTime.of(2013, 5, 24, 0, 0, 0, 0, ZoneOffset.UTC);

  @Test
  void getBucketLifecycleIsSignedAsAwsDocumentsIt() {
    String[] h =
        S3Objects.signature(
            "GET",
            URI.create("https://examplebucket.s3.amazonaws.com/?lifecycle"),
            EXAMPLE,
            MAY_24_2013);
    assertEquals("20130524T000000Z", h[0]);
    assertEquals(
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            + "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
            + "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
        h[1]);
  }

  @Test
  void listObjectsIsSignedAsAwsDocumentsIt() {
    String[] h =
        S3Objects.signature(
            "GET",
            URI.create("https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J"),
            EXAMPLE,
            MAY_24_2013);
    assertEquals(
        "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
        h[1].substring(h[1].indexOf("Signature=")));
  }

  @Test
  void settingsTakeLanceKeysAndDefaultToPathStyleWithAnEndpoint() {
    S3Objects.Settings s =
        S3Objects.Settings.of(
            Map.of(
                "endpoint",
                "http://127.0.0.1:9000/",
                "access_key_id",
                "a",
                "secret_access_key",
                "b",
                "region",
                "eu-west-1"));
    assertEquals("http://127.0.0.1:9000", s.endpoint());
    assertEquals("eu-west-1", s.region());
    assertFalse(s.virtualHosted());
    assertEquals("a", s.accessKey());
    assertEquals("dir/a%20b%2Bc.lance", S3Objects.encodePath("dir/a b+c.lance"));
  }
}
