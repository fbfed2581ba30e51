package dev.lancet.backfill.compute;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A local file read once from its start past the page cache ({@code O_DIRECT}) where the file
 * system allows it (see {@link UncachedOutput}): whole aligned blocks into one buffer, handed out
 * in the sizes asked.
 */
final class UncachedInput implements ReadableByteChannel {
  private final FileChannel channel;
  private final ArrowBuf memory;
  private final ByteBuffer buffer;
  private final int alignment;
  private final boolean direct;
  private boolean end;
  private boolean open = true;

  private UncachedInput(FileChannel channel, boolean direct, int alignment, BufferAllocator a) {
    this.channel = channel;
    this.direct = direct;
    this.alignment = alignment;
    this.memory = a.buffer(UncachedFiles.BUFFER + alignment);
    this.buffer =
        memory
            .nioBuffer(0, UncachedFiles.BUFFER + alignment)
            .alignedSlice(alignment)
            .limit(UncachedFiles.BUFFER);
    buffer.flip(); // empty
  }

  /** Opens {@code path}; {@code tryDirect} false reads through the page cache. */
  static UncachedInput open(Path path, boolean tryDirect, BufferAllocator allocator)
      throws IOException {
    int alignment = UncachedFiles.alignment(path);
    FileChannel channel = tryDirect ? UncachedFiles.openDirect(path, false) : null;
    boolean direct = channel != null;
    if (channel == null) {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    }
    try {
      return new UncachedInput(channel, direct, alignment, allocator);
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
    buffer.clear().limit(UncachedFiles.BUFFER);
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
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    if (open) {
      open = false;
      try (FileChannel c = channel;
          ArrowBuf m = memory) {
        // both released
      }
    }
  }
}
