package dev.lancet.spark.views;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lancet.lance.StoredObjects;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The refresh lock of a view in an S3 bucket, where no process can hold an operating system lock
 * for another machine: a lease, the object {@code <view>/_lancet/refresh.lease} naming its holder
 * and when it last renewed it. It is taken with a conditional create ({@code If-None-Match: *}),
 * renewed every quarter of its term with a conditional replace ({@code If-Match} of the holder's
 * last tag) and deleted at the end. A lease not renewed for its term (its process died, even by
 * kill -9) is taken over with a conditional replace of the tag read, so of two processes taking it
 * over at once exactly one wins. A holder whose renewal fails (taken over after it stalled) stops
 * before its next change of the view ({@link #check}).
 */
final class LeasedRefreshLock extends RefreshLock {
  static final String OBJECT = "_lancet/refresh.lease";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the lease object holds. */
  record Lease(String holder, long renewed) {}

  /** A lease's term: JVM property {@code lancet.views.lease-ms}, a minute by default. */
  static long termMillis() {
    return Long.getLong("lancet.views.lease-ms", 60_000);
  }

  private final String view;
  private final String uri;
  private final TableLocation at;
  private final String holder;
  private final ScheduledExecutorService renewer;
  private volatile String tag;
  private volatile long renewed;
  private volatile String lost;

  private LeasedRefreshLock(
      String view, String uri, TableLocation at, String holder, String tag, long renewed) {
    this.view = view;
    this.uri = uri;
    this.at = at;
    this.holder = holder;
    this.tag = tag;
    this.renewed = renewed;
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lancet-view-lease");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(1, termMillis() / 4);
    renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  static LeasedRefreshLock take(String view, TableLocation at) {
    String uri = (at.uri().endsWith("/") ? at.uri() : at.uri() + "/") + OBJECT;
    String holder =
        "process "
            + ManagementFactory.getRuntimeMXBean().getName()
            + " (refresh "
            + UUID.randomUUID().toString().substring(0, 8)
            + ")";
    try {
      for (int attempt = 0; attempt < 2; attempt++) {
        long now = System.currentTimeMillis();
        String text = text(new Lease(holder, now));
        String tag = StoredObjects.createIfAbsent(uri, text, at.storageOptions());
        if (tag != null) {
          return new LeasedRefreshLock(view, uri, at, holder, tag, now);
        }
        StoredObjects.Stored current = StoredObjects.read(uri, at.storageOptions());
        if (current == null) {
          continue; // released between the two calls: try again
        }
        Lease lease = lease(current.text());
        if (lease != null && holder.equals(lease.holder())) {
          return new LeasedRefreshLock(view, uri, at, holder, current.tag(), now); // a retried PUT
        }
        long age = lease == null ? Long.MAX_VALUE : now - lease.renewed();
        if (age < termMillis()) {
          throw busy(view, lease, age);
        }
        tag = StoredObjects.replaceIf(uri, text, current.tag(), at.storageOptions());
        if (tag == null) {
          throw busy(view, null, 0); // another process took the stale lease over first
        }
        return new LeasedRefreshLock(view, uri, at, holder, tag, now);
      }
      throw busy(view, null, 0);
    } catch (IOException e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR,
          "materialized view " + view + ": cannot take its refresh lease " + uri + ": " + e);
    }
  }

  private static LancetException busy(String view, Lease lease, long age) {
    return new LancetException(
        ErrorCode.LANCET_CONCURRENT_WRITE,
        "materialized view "
            + view
            + " is being refreshed by another session"
            + (lease == null
                ? ""
                : " (" + lease.holder() + ", lease renewed " + age / 1000 + " s ago)")
            + "; nothing was changed: run REFRESH again when it has ended (a lease not renewed for "
            + termMillis() / 1000
            + " s is taken over)");
  }

  private void renew() {
    if (lost != null) {
      return;
    }
    long now = System.currentTimeMillis();
    try {
      String next =
          StoredObjects.replaceIf(uri, text(new Lease(holder, now)), tag, at.storageOptions());
      if (next == null) {
        lost = "its refresh lease was taken over by another session";
        renewer.shutdown();
        return;
      }
      tag = next;
      renewed = now;
    } catch (IOException | RuntimeException e) {
      // the next renewal tries again; check() stops the refresh once the term has passed
    }
  }

  @Override
  void check() {
    String why = lost;
    if (why == null && System.currentTimeMillis() - renewed >= termMillis()) {
      why = "its refresh lease could not be renewed for " + termMillis() / 1000 + " s";
    }
    if (why != null) {
      throw new LancetException(
          ErrorCode.LANCET_CONCURRENT_WRITE,
          "materialized view "
              + view
              + ": "
              + why
              + "; the changed fragments committed so far stay, and REFRESH again resumes after"
              + " them");
    }
  }

  @Override
  public void close() {
    renewer.shutdownNow();
    try {
      renewer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Still ours only while renewed within its term: past it, another session may hold it now.
    if (lost == null && System.currentTimeMillis() - renewed < termMillis()) {
      StoredObjects.delete(uri, at.storageOptions());
    }
  }

  private static String text(Lease lease) {
    try {
      return JSON.writeValueAsString(lease);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Lease lease(String text) {
    try {
      return JSON.readValue(text, Lease.class);
    } catch (IOException e) {
      return null; // unreadable: taken over as a stale one
    }
  }
}
