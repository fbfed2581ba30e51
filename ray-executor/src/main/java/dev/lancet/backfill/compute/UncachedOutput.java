package dev.lancet.backfill.compute;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A new local file written past the page cache ({@code O_DIRECT}) where the file system allows it,
 * for data written once and read once (a checkpoint part): filling the page cache costs about 2 s
 * of system time a GB on the machines measured, direct writes a tenth of it (docs/stack-notes.md).
 * Bytes are gathered in one aligned buffer and written in whole blocks; the last block is padded,
 * then the file is cut to its length. Where {@code O_DIRECT} is refused (tmpfs) the file is written
 * as usual.
 */
final class UncachedOutput extends UncachedChannel implements WritableByteChannel {
  private long length;

  private UncachedOutput(Path path, boolean tryDirect, BufferAllocator allocator)
      throws IOException {
    super(path, true, tryDirect, allocator);
  }

  /** Creates (or empties) {@code path}; {@code tryDirect} false writes through the page cache. */
  static UncachedOutput create(Path path, boolean tryDirect, BufferAllocator allocator)
      throws IOException {
    return new UncachedOutput(path, tryDirect, allocator);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int n = src.remaining();
    while (src.hasRemaining()) {
      if (!buffer.hasRemaining()) {
        drain();
      }
      int take = Math.min(buffer.remaining(), src.remaining());
      buffer.put(src.slice(src.position(), take));
      src.position(src.position() + take);
    }
    length += n;
    return n;
  }

  private void drain() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear().limit(BUFFER);
  }

  /** Writes what is left (a padded last block when direct), cuts the file to its length, closes. */
  @Override
  public void close() throws IOException {
    if (!closing()) {
      return;
    }
    try {
      if (direct) {
        int padded = (buffer.position() + alignment - 1) / alignment * alignment;
        buffer.limit(padded);
        while (buffer.position() < padded) {
          buffer.put((byte) 0);
        }
      }
      drain();
      if (direct) {
        channel.truncate(length);
      }
    } finally {
      release();
    }
  }
}
