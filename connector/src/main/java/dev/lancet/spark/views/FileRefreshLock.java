package dev.lancet.spark.views;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The refresh lock of a view on the local disk: an operating system lock on {@code
 * <view>/_lancet/refresh.lock}: a process that dies, even by kill -9, releases it, so no stale lock
 * is ever left to clear by hand. The file stays, holding who refreshes now (or last did), for the
 * message of a refresh that finds the lock taken.
 */
final class FileRefreshLock extends RefreshLock {
  static final String FILE = "_lancet/refresh.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private FileRefreshLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of the view whose folder is {@code viewFolder}, or fails at once in one line.
   */
  static FileRefreshLock take(String view, Path viewFolder) {
    Path file = viewFolder.resolve(FILE);
    FileChannel channel = null;
    try {
      Files.createDirectories(file.getParent());
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException sameJvm) {
        lock = null; // another thread of this JVM (its refreshes of one view are serialized first)
      }
      if (lock == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
        throw new LancetException(
            ErrorCode.LANCET_CONCURRENT_WRITE,
            "materialized view "
                + view
                + " is being refreshed by another session"
                + (holder.isEmpty() ? "" : " (" + holder + ")")
                + "; nothing was changed: run REFRESH again when it has ended");
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              ("process "
                      + ManagementFactory.getRuntimeMXBean().getName()
                      + ", since "
                      + Instant.now())
                  .getBytes(StandardCharsets.UTF_8)),
          0);
      return new FileRefreshLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR,
          "materialized view " + view + ": cannot take its refresh lock " + file + ": " + e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing held
      }
    }
  }

  @Override
  void check() {
    // the kernel holds it until this process closes it or dies
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    closeQuietly(channel);
  }
}
