package dev.lancet.backfill.compute;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What {@link UncachedOutput} and {@link UncachedInput} share: the buffer, the block, the open. */
final class UncachedFiles {
  /**
   * The bytes moved per system call: 1 MiB, a multiple of any block size. Direct writes of 1 MiB
   * ran as fast here as of 8 MiB (dd: 4.8 GB in 2.6 s), and a part's buffer counts against the
   * memory a worker's batches may use.
   */
  static final int BUFFER = 1 << 20;

  private UncachedFiles() {}

  /** The file system's block size for {@code path}'s folder, at least 4 KiB. */
  static int alignment(Path path) {
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
  static FileChannel openDirect(Path path, boolean write) {
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
