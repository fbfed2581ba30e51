package dev.lancet.backfill.compute;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A new local file written past the page cache ({@code O_DIRECT}) where the file system allows it,
 * for data written once and read once (a checkpoint part): filling the page cache costs about 2 s
 * of system time a GB on the machines measured, direct writes a tenth of it (docs/stack-notes.md).
 * Bytes are gathered in one aligned buffer and written in whole blocks; the last block is padded,
 * then the file is cut to its length. Where {@code O_DIRECT} is refused (tmpfs) the file is written
 * as usual.
 */
final class UncachedOutput implements WritableByteChannel {
  private final FileChannel channel;
  private final ArrowBuf memory;
  private final ByteBuffer buffer;
  private final int alignment;
  private final boolean direct;
  private long length;
  private boolean open = true;

  private UncachedOutput(FileChannel channel, boolean direct, int alignment, BufferAllocator a) {
    this.channel = channel;
    this.direct = direct;
    this.alignment = alignment;
    this.memory = a.buffer(UncachedFiles.BUFFER + alignment);
    this.buffer =
        memory
            .nioBuffer(0, UncachedFiles.BUFFER + alignment)
            .alignedSlice(alignment)
            .limit(UncachedFiles.BUFFER);
  }

  /** Creates (or empties) {@code path}; {@code tryDirect} false writes through the page cache. */
  static UncachedOutput create(Path path, boolean tryDirect, BufferAllocator allocator)
      throws IOException {
    int alignment = UncachedFiles.alignment(path);
    FileChannel channel = tryDirect ? UncachedFiles.openDirect(path, true) : null;
    boolean direct = channel != null;
    if (channel == null) {
      channel =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
    }
    try {
      return new UncachedOutput(channel, direct, alignment, allocator);
    } catch (RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Whether the page cache is bypassed. */
  boolean direct() {
    return direct;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int n = src.remaining();
    while (src.hasRemaining()) {
      if (!buffer.hasRemaining()) {
        drain();
      }
      int take = Math.min(buffer.remaining(), src.remaining());
      ByteBuffer part = src.slice(src.position(), take);
      buffer.put(part);
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
    buffer.clear().limit(UncachedFiles.BUFFER);
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Writes what is left (a padded last block when direct), cuts the file to its length, closes. */
  @Override
  public void close() throws IOException {
    if (!open) {
      return;
    }
    open = false;
    try (FileChannel c = channel;
        ArrowBuf m = memory) {
      if (direct) {
        int tail = buffer.position();
        int padded = (tail + alignment - 1) / alignment * alignment;
        buffer.limit(padded);
        while (buffer.position() < padded) {
          buffer.put((byte) 0);
        }
      }
      drain();
      if (direct) {
        c.truncate(length);
      }
    }
  }
}
