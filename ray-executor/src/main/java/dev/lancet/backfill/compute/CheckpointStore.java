package dev.lancet.backfill.compute;

import dev.lancet.backfill.commit.FragmentReceipt;
import dev.lancet.backfill.store.ColumnState;
import dev.lancet.backfill.store.InternalPaths;
import dev.lancet.backfill.store.TextFiles;
import dev.lancet.lance.DataFiles;
import dev.lancet.lance.TableLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.lance.file.LanceFileReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of fragments in progress, as small Lance files under {@code
 * <table>/_lancet/checkpoints/<column>/}, so they live wherever the table does. Only fragments that
 * outlive a checkpoint interval write any; a fragment finished sooner is recorded by the driver
 * with its commit group ({@link ColumnState}).
 *
 * <ul>
 *   <li>A <b>part record</b> names a finished piece of a fragment's new column file: the slots
 *       {@code [first, first + rows)} and which of them hold a current value. The worker closes the
 *       file it is writing every checkpoint interval, records it and continues in the next, so each
 *       piece is the checkpoint of its rows and nothing is written twice. Part records of a
 *       fragment are numbered from 0, so a resumed run finds them without listing a directory; one
 *       that is missing, damaged or does not continue the previous ends the list.
 *   <li>A <b>done record</b> holds the receipt of a fragment whose parts were merged into its
 *       column file, so a run killed before the driver recorded it commits that file instead of
 *       computing it again.
 * </ul>
 *
 * Both are keyed by the unit's work key and deleted once the driver has recorded the receipt.
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final String ROWS = "lancet.rows";
  private static final String FIRST = "lancet.first_slot";
  private static final String CURRENT = "lancet.current_slots";

  private final TableLocation table;
  private final String directory;

  public CheckpointStore(TableLocation table, String column) {
    this.table = table;
    this.directory = InternalPaths.checkpointsOf(table.uri(), column);
  }

  /**
   * A finished piece of a fragment's column file.
   *
   * @param first its first slot
   * @param rows its slots
   * @param fileName the data file (under the table's data directory)
   * @param currentSlots Base64 bitmap, relative to {@code first}, of the slots holding a current
   *     value; null when all do
   */
  record Part(long first, long rows, String fileName, String currentSlots) {}

  private String partUri(String workKey, int index) {
    return directory + "/part-" + workKey + "-" + index + ".lance";
  }

  private String doneUri(String workKey) {
    return directory + "/done-" + workKey + ".lance";
  }

  /** Records part {@code index} of a unit (after its file is complete). */
  void writePart(String workKey, int index, Part part, BufferAllocator allocator) throws Exception {
    Map<String, String> meta =
        new java.util.HashMap<>(
            Map.of(FIRST, String.valueOf(part.first()), ROWS, String.valueOf(part.rows())));
    if (part.currentSlots() != null) {
      meta.put(CURRENT, part.currentSlots());
    }
    writeText(partUri(workKey, index), part.fileName(), meta, allocator);
  }

  /**
   * The recorded parts of a unit from part 0 on, while each continues the previous one and its data
   * file holds the recorded rows; a missing, damaged or stale record ends the list.
   */
  List<Part> readParts(String workKey, String datasetUri, BufferAllocator allocator) {
    return readParts(workKey, datasetUri, 0, allocator);
  }

  /** The rows of a part's file: an Arrow part's trailer, or a Lance file's count. */
  private long rowsOf(String fileUri, BufferAllocator allocator) throws Exception {
    if (ArrowParts.isArrowPart(fileUri)) {
      return ArrowParts.rows(fileUri);
    }
    try (LanceFileReader data = LanceFileReader.open(fileUri, table.storageOptions(), allocator)) {
      return data.numRows();
    }
  }

  /**
   * {@link #readParts(String, String, BufferAllocator)} of parts that start at slot {@code from}.
   */
  List<Part> readParts(String workKey, String datasetUri, long from, BufferAllocator allocator) {
    List<Part> parts = new ArrayList<>();
    long covered = from;
    for (int index = 0; ; index++) {
      String uri = partUri(workKey, index);
      try (LanceFileReader reader = LanceFileReader.open(uri, table.storageOptions(), allocator)) {
        Map<String, String> meta = reader.schema().getCustomMetadata();
        String file = readText(reader);
        if (meta == null || file == null || !String.valueOf(covered).equals(meta.get(FIRST))) {
          return parts;
        }
        long count = Long.parseLong(meta.get(ROWS));
        long found = rowsOf(DataFiles.dataFileUri(datasetUri, file), allocator);
        if (found != count) {
          LOG.warn(
              "checkpoint {} names a file of {} rows, not {}; computing its rows again",
              uri,
              found,
              count);
          return parts;
        }
        parts.add(new Part(covered, count, file, meta.get(CURRENT)));
        covered += count;
      } catch (Exception e) {
        LOG.debug("checkpoint {} unreadable: {}", uri, e.toString());
        return parts;
      }
    }
  }

  /** Deletes part records {@code 0 .. count-1} of a unit (not their data files). */
  void deletePartRecords(String workKey, int count) {
    for (int i = 0; i < count; i++) {
      DataFiles.deleteQuietly(partUri(workKey, i), table.storageOptions());
    }
  }

  /** Records the receipt of a unit whose column file is finished. */
  void writeDone(String workKey, FragmentReceipt receipt, BufferAllocator allocator)
      throws Exception {
    writeText(doneUri(workKey), receipt.toJson(), Map.of(), allocator);
  }

  /** The receipt a done record holds, or null. */
  FragmentReceipt readDone(String workKey, BufferAllocator allocator) {
    try (LanceFileReader reader =
        LanceFileReader.open(doneUri(workKey), table.storageOptions(), allocator)) {
      String json = readText(reader);
      return json == null ? null : FragmentReceipt.fromJson(json);
    } catch (Exception e) {
      return null;
    }
  }

  /** Deletes what a unit recorded: its done record and part records (its files stay). */
  public void forget(String workKey, int parts) {
    DataFiles.deleteQuietly(doneUri(workKey), table.storageOptions());
    deletePartRecords(workKey, parts);
  }

  private void writeText(
      String uri, String text, Map<String, String> meta, BufferAllocator allocator)
      throws Exception {
    TextFiles.write(uri, text, meta, table.storageOptions(), allocator);
  }

  private static String readText(LanceFileReader reader) throws Exception {
    return TextFiles.read(reader);
  }
}
