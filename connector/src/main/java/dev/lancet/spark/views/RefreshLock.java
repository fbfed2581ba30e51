package dev.lancet.spark.views;

import dev.lancet.lance.DataFiles;
import dev.lancet.lance.StoredObjects;
import dev.lancet.lance.TableLocation;

/**
 * The lock a view's refresh holds, so refreshes from two processes never run at once (each would
 * delete, then append, the same changed rows: the view would hold them twice). On the local disk it
 * is an operating system lock ({@link FileRefreshLock}); on S3 a lease renewed while the refresh
 * runs, taken and renewed with conditional writes ({@link LeasedRefreshLock}).
 */
abstract class RefreshLock implements AutoCloseable {
  /** Takes the lock of the view at {@code at}, or fails at once in one line. */
  static RefreshLock take(String view, TableLocation at) {
    return StoredObjects.onS3(at.uri())
        ? LeasedRefreshLock.take(view, at)
        : FileRefreshLock.take(view, DataFiles.localPath(at.uri()));
  }

  /**
   * Fails with {@code LANCET_CONCURRENT_WRITE} when the lock is no longer held (a lease that could
   * not be renewed and was taken over): a refresh checks before each change of the view.
   */
  abstract void check();

  @Override
  public abstract void close();
}
