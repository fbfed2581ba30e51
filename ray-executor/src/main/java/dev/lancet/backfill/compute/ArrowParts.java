package dev.lancet.backfill.compute;

import dev.lancet.lance.DataFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Checkpoint parts that only a merge reads, on a table on the local disk: an Arrow IPC stream
 * written and read past the page cache ({@link UncachedOutput}, {@link UncachedInput}), then a
 * trailer of its row count and a magic number that says the part was written whole. A Lance file
 * goes through the page cache, so a part and then the column file made of it filled the cache twice
 * with the same rows; at 6 GB that second fill was most of a checkpointed fragment's cost beyond
 * the lower bound. Parts of tables in an object store stay Lance files.
 */
final class ArrowParts {
  /** The file name's ending, which tells a part's kind where it is recorded. */
  static final String SUFFIX = ".arrows";

  private static final long MAGIC = 0x5452415054434E4CL; // "LNCTPART" read little-endian
  private static final int TRAILER = 16;

  private ArrowParts() {}

  /** Whether parts of the table at {@code datasetUri} are written as Arrow (it is local). */
  static boolean usable(String datasetUri) {
    return DataFiles.localPath(datasetUri) != null;
  }

  /** Whether the part file {@code fileName} is an Arrow part. */
  static boolean isArrowPart(String fileName) {
    return fileName.endsWith(SUFFIX);
  }

  /** A fresh part file name in the data directory. */
  static String newFileName() {
    return UUID.randomUUID() + SUFFIX;
  }

  /** The rows of a part written whole, or -1 for one missing, cut short or not a part. */
  static long rows(String uri) {
    Path path = DataFiles.localPath(uri);
    if (path == null) {
      return -1;
    }
    try (FileChannel c = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = c.size();
      if (size < TRAILER) {
        return -1;
      }
      ByteBuffer trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN);
      while (trailer.hasRemaining()) {
        if (c.read(trailer, size - TRAILER + trailer.position()) < 0) {
          return -1;
        }
      }
      long rows = trailer.getLong(0);
      return trailer.getLong(8) == MAGIC ? rows : -1;
    } catch (IOException unreadable) {
      return -1;
    }
  }

  /** A part being written. */
  static final class Writer implements AutoCloseable {
    private final UncachedOutput out;
    private final WriteChannel channel;
    private final BufferAllocator allocator;

    /** Whether rows null in every column are left out ({@link NullRows}). */
    private final boolean compacts;

    /** The schema written: the columns', with {@link NullRows#SLOT} when rows are compacted. */
    private final Schema written;

    private long rows;
    private boolean closed;

    Writer(String uri, Schema schema, BufferAllocator allocator) throws IOException {
      this(uri, schema, allocator, true);
    }

    /** {@code direct} false writes through the page cache (the fallback's test). */
    Writer(String uri, Schema schema, BufferAllocator allocator, boolean direct)
        throws IOException {
      this.allocator = allocator;
      this.compacts = NullRows.compactable(schema);
      this.written = compacts ? NullRows.withSlot(schema) : schema;
      this.out = UncachedOutput.create(DataFiles.localPath(uri), direct, allocator);
      this.channel = new WriteChannel(out);
      try {
        MessageSerializer.serialize(channel, written);
      } catch (IOException | RuntimeException e) {
        out.close();
        throw e;
      }
    }

    /** Whether the page cache is bypassed. */
    boolean direct() {
      return out.direct();
    }

    void write(VectorSchemaRoot root) throws IOException {
      if (compacts) {
        try (NullRows.Compacted compacted = NullRows.compact(root, written, allocator)) {
          serialize(compacted.root());
        }
      } else {
        serialize(root);
      }
      rows += root.getRowCount();
    }

    private void serialize(VectorSchemaRoot root) throws IOException {
      try (ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
        MessageSerializer.serialize(channel, batch);
      }
    }

    /** Ends the stream and writes the trailer; the part is whole once this returns. */
    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try (UncachedOutput o = out) {
        ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN);
        trailer.putLong(rows).putLong(MAGIC).flip();
        channel.write(trailer);
      }
    }
  }

  /** A part read in order, batch by batch as it was written. */
  static final class Reader implements PartWindows {
    private final ArrowStreamReader reader;
    private final BufferAllocator allocator;

    /** The rows put back in place, for a part whose null rows were left out; else null. */
    private VectorSchemaRoot expanded;

    Reader(String uri, BufferAllocator allocator) throws IOException {
      this(uri, allocator, true);
    }

    Reader(String uri, BufferAllocator allocator, boolean direct) throws IOException {
      this.allocator = allocator;
      this.reader =
          new ArrowStreamReader(
              UncachedInput.open(DataFiles.localPath(uri), direct, allocator), allocator);
    }

    @Override
    public VectorSchemaRoot next() throws IOException {
      if (!reader.loadNextBatch()) {
        return null;
      }
      VectorSchemaRoot batch = reader.getVectorSchemaRoot();
      List<Field> fields = batch.getSchema().getFields();
      if (fields.isEmpty() || !fields.get(fields.size() - 1).getName().equals(NullRows.SLOT)) {
        return batch;
      }
      if (expanded == null) {
        expanded =
            VectorSchemaRoot.create(new Schema(fields.subList(0, fields.size() - 1)), allocator);
      }
      return NullRows.expand(batch, expanded);
    }

    @Override
    public void close() throws IOException {
      try (VectorSchemaRoot r = expanded) {
        reader.close();
      }
    }
  }
}
