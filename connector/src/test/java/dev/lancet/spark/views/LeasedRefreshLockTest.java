package dev.lancet.spark.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.lance.StoredObjects;
import dev.lancet.lance.TableLocation;
import dev.lancet.testing.S3TestServer;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A view's refresh lease in a bucket of a real S3-compatible server: one holder at a time, renewed
 * while held, released at the end, and a holder whose lease was taken over stops.
 */
@Tag("s3")
class LeasedRefreshLockTest {
  private static S3TestServer s3;
  private static TableLocation view;

  @BeforeAll
  static void start() {
    s3 = S3TestServer.start();
    view = new TableLocation(s3.createBucket("leases") + "/v.lance", s3.storageOptions());
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @AfterEach
  void defaultTerm() {
    System.clearProperty("lancet.views.lease-ms");
  }

  private static String lease() {
    return view.uri() + "/" + LeasedRefreshLock.OBJECT;
  }

  @Test
  void aSecondHolderIsRefusedUntilTheFirstReleases() throws Exception {
    try (RefreshLock first = RefreshLock.take("v", view)) {
      assertTrue(first instanceof LeasedRefreshLock);
      LancetException busy = assertThrows(LancetException.class, () -> RefreshLock.take("v", view));
      assertEquals(ErrorCode.LANCET_CONCURRENT_WRITE, busy.code());
      assertTrue(busy.getMessage().contains("is being refreshed by another session"));
      first.check();
    }
    assertNull(StoredObjects.read(lease(), view.storageOptions()), "released");
    RefreshLock.take("v", view).close();
  }

  @Test
  void aHeldLeaseIsRenewedAndAHolderWhoseLeaseWasTakenOverStops() throws Exception {
    System.setProperty("lancet.views.lease-ms", "800");
    try (RefreshLock held = RefreshLock.take("v", view)) {
      String before = StoredObjects.read(lease(), view.storageOptions()).text();
      Thread.sleep(600); // renewed every 200 ms
      String after = StoredObjects.read(lease(), view.storageOptions()).text();
      assertTrue(!before.equals(after), "renewed: " + before + " then " + after);
      held.check();

      // Another session took it over (as after a stall longer than the term).
      StoredObjects.write(
          lease(),
          "{\"holder\":\"process 7@other\",\"renewed\":" + System.currentTimeMillis() + "}",
          view.storageOptions());
      Thread.sleep(600);
      LancetException lost = assertThrows(LancetException.class, held::check);
      assertEquals(ErrorCode.LANCET_CONCURRENT_WRITE, lost.code());
      assertTrue(lost.getMessage().contains("taken over"), lost.getMessage());
    }
    assertNotNull(
        StoredObjects.read(lease(), view.storageOptions()), "the new holder's lease stays");
    StoredObjects.delete(lease(), view.storageOptions());
  }
}
