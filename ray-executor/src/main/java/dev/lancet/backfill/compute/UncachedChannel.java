package dev.lancet.backfill.compute;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What {@link UncachedOutput} and {@link UncachedInput} share: a local file opened with {@code
 * O_DIRECT} where the file system allows it (else as usual), and one buffer aligned to the file
 * system's block, in memory the allocator counts. Java's {@code FileChannel} on such a file wants
 * the position, the buffer's address and each length to be multiples of the block.
 */
abstract class UncachedChannel implements Channel {
  /**
   * The bytes moved per system call: 1 MiB, a multiple of any block size. Direct writes of 1 MiB
   * ran as fast here as of 8 MiB (dd: 4.8 GB in 2.6 s), and a part's buffer counts against the
   * memory a worker's batches may use.
   */
  static final int BUFFER = 1 << 20;

  protected final FileChannel channel;
  protected final ByteBuffer buffer;
  protected final int alignment;
  protected final boolean direct;
  private final ArrowBuf memory;
  private boolean open = true;

  /**
   * Opens {@code path} to write (created or emptied) or to read, past the page cache when {@code
   * tryDirect} and the file system allows it.
   */
  protected UncachedChannel(Path path, boolean write, boolean tryDirect, BufferAllocator allocator)
      throws IOException {
    this.alignment = alignment(path);
    FileChannel opened = tryDirect ? openDirect(path, write) : null;
    this.direct = opened != null;
    this.channel =
        opened != null
            ? opened
            : write
                ? FileChannel.open(
                    path,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
    try {
      this.memory = allocator.buffer(BUFFER + alignment);
    } catch (RuntimeException e) {
      channel.close();
      throw e;
    }
    this.buffer = memory.nioBuffer(0, BUFFER + alignment).alignedSlice(alignment).limit(BUFFER);
  }

  /** Whether the page cache is bypassed. */
  final boolean direct() {
    return direct;
  }

  @Override
  public final boolean isOpen() {
    return open;
  }

  /** Marks the channel closed; false when it was already. */
  protected final boolean closing() {
    boolean was = open;
    open = false;
    return was;
  }

  /** Closes the file and frees the buffer. */
  protected final void release() throws IOException {
    try (FileChannel c = channel;
        ArrowBuf m = memory) {
      // both released
    }
  }

  /** The file system's block size for {@code path}'s folder, at least 4 KiB. */
  private static int alignment(Path path) {
    try {
      Path dir = path.toAbsolutePath().getParent();
      long block = Files.getFileStore(dir).getBlockSize();
      if (block >= 4096 && block <= (1 << 20) && Long.bitCount(block) == 1) {
        return (int) block;
      }
    } catch (IOException | UnsupportedOperationException unknown) {
      // the usual block
    }
    return 4096;
  }

  /** {@code path} opened with {@code O_DIRECT}, or null where the file system refuses it. */
  private static FileChannel openDirect(Path path, boolean write) {
    try {
      return write
          ? FileChannel.open(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE,
              ExtendedOpenOption.DIRECT)
          : FileChannel.open(path, StandardOpenOption.READ, ExtendedOpenOption.DIRECT);
    } catch (IOException | UnsupportedOperationException refused) {
      return null;
    }
  }
}
