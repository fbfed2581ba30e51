package dev.lancet.backfill.compute;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A local file read once from its start past the page cache ({@code O_DIRECT}) where the file
 * system allows it (see {@link UncachedOutput}): whole aligned blocks into one buffer, handed out
 * in the sizes asked.
 */
final class UncachedInput extends UncachedChannel implements ReadableByteChannel {
  private boolean end;

  private UncachedInput(Path path, boolean tryDirect, BufferAllocator allocator)
      throws IOException {
    super(path, false, tryDirect, allocator);
    buffer.flip(); // empty
  }

  /** Opens {@code path}; {@code tryDirect} false reads through the page cache. */
  static UncachedInput open(Path path, boolean tryDirect, BufferAllocator allocator)
      throws IOException {
    return new UncachedInput(path, tryDirect, allocator);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!buffer.hasRemaining()) {
      if (end) {
        return -1;
      }
      fill();
      if (!buffer.hasRemaining()) {
        return -1;
      }
    }
    int take = Math.min(buffer.remaining(), dst.remaining());
    dst.put(buffer.slice(buffer.position(), take));
    buffer.position(buffer.position() + take);
    return take;
  }

  /**
   * Reads the next whole buffer; a read that ends off a block boundary is the file's end (a direct
   * read may not start there).
   */
  private void fill() throws IOException {
    buffer.clear().limit(BUFFER);
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer);
      if (n <= 0 || (direct && buffer.position() % alignment != 0)) {
        end = true;
        break;
      }
    }
    buffer.flip();
  }

  @Override
  public void close() throws IOException {
    if (closing()) {
      release();
    }
  }
}
