package dev.lancet.backfill.internal;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.VirtualColumns;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.fragment.DataFile;
import org.lance.fragment.DeletionFile;
import org.lance.schema.LanceField;

/**
 * Plans a backfill: pins the table version, checks the column is virtual, its UDF class loads
 * and the filter is valid, and cuts the work into one unit per fragment. A fragment whose
 * committed column file was computed under the same key (UDF version, input data, filter) is
 * up to date and left out: running the same backfill twice computes nothing the second time.
 */
final class BackfillPlanner {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private BackfillPlanner() {}

  static BackfillPlan plan(String datasetUri, Map<String, String> storageOptions, String column, int batchSize, String filter,
      boolean checkpointed, long checkpointIntervalMillis) {
    try (BufferAllocator allocator = Allocators.child("lancet-planner");
         Dataset dataset = LanceDatasets.open(allocator, datasetUri, storageOptions, null)) {
      long version = dataset.version();
      UdfSpec spec = VirtualColumns.list(dataset.getSchema()).get(column);
      if (spec == null) {
        boolean exists = dataset.getSchema().getFields().stream().anyMatch(f -> f.getName().equals(column));
        throw new BackfillException(exists
            ? "column '" + column + "' of " + datasetUri + " is not a virtual column: it has no UDF to compute it"
            : "column '" + column + "' does not exist in " + datasetUri + "; its columns are "
                + dataset.getSchema().getFields().stream().map(Field::getName).toList());
      }
      // Fail before any work if the class is gone (the worker checks its shape again).
      UdfInspector.loadClass(spec.className(), Thread.currentThread().getContextClassLoader());
      if (filter != null) {
        try {
          dataset.countRows(filter);
        } catch (RuntimeException e) {
          throw new BackfillException("invalid filter '" + filter + "': " + firstLine(e.getMessage()));
        }
      }
      LanceField field = field(dataset, column);
      Set<Integer> inputFieldIds = inputFieldIds(dataset, spec, filter);
      Set<Integer> watched = new HashSet<>(inputFieldIds);
      collectIds(field, watched);
      ColumnLayout layout = ColumnLayout.of(field, FileFormat.of(dataset));
      CheckpointStore checkpoints = new CheckpointStore(datasetUri, storageOptions, column);
      int effectiveBatch = spec.batchSize() != null ? spec.batchSize() : batchSize;
      List<WorkUnit> units = new ArrayList<>();
      Map<Integer, PlannedFragment> fragments = new LinkedHashMap<>();
      int upToDate = 0;
      long upToDateRows = 0;
      record Candidate(FragmentMetadata meta, PlannedFragment planned, String key, String current) {}
      List<Candidate> candidates = new ArrayList<>();
      for (Fragment fragment : dataset.getFragments()) {
        FragmentMetadata meta = fragment.metadata();
        PlannedFragment planned = PlannedFragment.of(meta, Set.copyOf(watched));
        if (planned.liveRows() > 0) {
          candidates.add(new Candidate(meta, planned, Keys.hash(spec.version(), column, identity(meta, inputFieldIds), filter),
              currentFile(meta, layout)));
        }
      }
      // Up to date = its done record names the file it has now. A fragment without a file of the
      // column (new rows) cannot be; the others' records are read in parallel (one small file each).
      List<Boolean> upToDateFlags = candidates.parallelStream()
          .map(c -> c.current() != null && c.current().equals(checkpoints.doneFile(c.key(), allocator)))
          .toList();
      for (int i = 0; i < candidates.size(); i++) {
        Candidate c = candidates.get(i);
        if (upToDateFlags.get(i)) {
          upToDate++;
          upToDateRows += c.planned().liveRows();
          continue;
        }
        fragments.put(c.planned().id(), c.planned());
        units.add(new WorkUnit(datasetUri, storageOptions, version, c.planned().id(), c.planned().physicalRows(),
            c.planned().liveRows(), column, spec.toJson(), effectiveBatch, filter, c.key(), sharedFile(c.meta(), layout),
            checkpointed, checkpointIntervalMillis));
      }
      return new BackfillPlan(datasetUri, version, column, field, spec, filter, units, fragments, upToDate, upToDateRows);
    }
  }

  /**
   * What a fragment's result depends on besides the UDF: the data files holding its input
   * columns (and the filter's), the deletions and the physical row count. Other columns' files
   * are left out, so backfilling one virtual column never invalidates another.
   */
  static String identity(FragmentMetadata meta, Set<Integer> inputFieldIds) {
    Set<String> files = new TreeSet<>();
    for (DataFile f : meta.getFiles()) {
      for (int id : f.getFields()) {
        if (inputFieldIds.contains(id)) {
          files.add(f.getPath());
          break;
        }
      }
    }
    DeletionFile deletions = meta.getDeletionFile();
    return meta.getId() + "|" + meta.getPhysicalRows() + "|" + files + "|"
        + (deletions == null ? "-" : deletions.getId() + ":" + deletions.getNumDeletedRows());
  }

  /** Field ids (with children) of the UDF's inputs and of the columns the filter names. */
  private static Set<Integer> inputFieldIds(Dataset dataset, UdfSpec spec, String filter) {
    Set<String> names = new HashSet<>(spec.inputs());
    if (filter != null) {
      Matcher m = IDENTIFIER.matcher(filter);
      while (m.find()) {
        names.add(m.group());
      }
    }
    Set<Integer> ids = new HashSet<>();
    for (LanceField f : dataset.getLanceSchema().fields()) {
      if (names.contains(f.getName())) {
        collectIds(f, ids);
      }
    }
    return ids;
  }

  private static void collectIds(LanceField f, Set<Integer> ids) {
    ids.add(f.getId());
    f.getChildren().forEach(c -> collectIds(c, ids));
  }

  /** The file holding the column among other fields, if any (written by a compaction). */
  private static WorkUnit.SharedFile sharedFile(FragmentMetadata meta, ColumnLayout layout) {
    for (DataFile f : meta.getFiles()) {
      if (layout.heldBy(f.getFields()) && !java.util.Arrays.equals(f.getFields(), layout.fieldIds())) {
        return new WorkUnit.SharedFile(f.getPath(), f.getFields(), f.getColumnIndices(), f.getFileMajorVersion(),
            f.getFileMinorVersion());
      }
    }
    return null;
  }

  private static String currentFile(FragmentMetadata meta, ColumnLayout layout) {
    for (DataFile f : meta.getFiles()) {
      if (layout.heldBy(f.getFields())) {
        return f.getPath();
      }
    }
    return null;
  }

  private static LanceField field(Dataset dataset, String column) {
    for (LanceField f : dataset.getLanceSchema().fields()) {
      if (f.getName().equals(column)) {
        return f;
      }
    }
    throw new BackfillException("column '" + column + "' has no Lance field id");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "rejected by Lance";
    }
    String first = message.split("\n")[0];
    int at = first.indexOf(", /workspace/");
    return at > 0 ? first.substring(0, at) : first;
  }
}
