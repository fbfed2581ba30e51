package dev.lancet.backfill.internal;

import dev.lancet.backfill.BackfillException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lance.Dataset;
import org.lance.FragmentMetadata;
import org.lance.fragment.DataFile;
import org.lance.operation.DataReplacement;
import org.lance.schema.LanceField;

/**
 * Commits finished fragments' column files to the table in one Lance DataReplacement
 * transaction per group. Before committing it re-reads each target fragment: one whose rows
 * changed since planning (a concurrent update, delete or compaction) is left out, because
 * committing its file would misalign rows; the next backfill recomputes it.
 */
final class FragmentCommitter {
  private final String datasetUri;
  private final Map<String, String> storageOptions;
  private final LanceField field;
  private final Map<String, String> transactionProperties;

  FragmentCommitter(String datasetUri, Map<String, String> storageOptions, LanceField field, Map<String, String> transactionProperties) {
    this.datasetUri = datasetUri;
    this.storageOptions = storageOptions;
    this.field = field;
    this.transactionProperties = transactionProperties;
  }

  /** What a commit did: the new version and the fragments it replaced or left out. */
  record Outcome(long version, List<FragmentReceipt> committed, List<FragmentReceipt> leftOut) {}

  Outcome commit(List<FragmentReceipt> receipts, Map<Integer, PlannedFragment> planned) {
    try (Dataset latest = LanceDatasets.open(datasetUri, storageOptions)) {
      FileFormat format = FileFormat.of(latest);
      ColumnLayout layout = ColumnLayout.of(field, format);
      List<DataReplacement.DataReplacementGroup> groups = new ArrayList<>();
      List<FragmentReceipt> committed = new ArrayList<>();
      List<FragmentReceipt> leftOut = new ArrayList<>();
      for (FragmentReceipt r : receipts) {
        FragmentMetadata now = fragment(latest, r.fragmentId());
        if (now == null || !planned.get(r.fragmentId()).sameRowsAs(now, currentFileOfColumn(now, layout))) {
          leftOut.add(r);
          DataFiles.deleteQuietly(DataFiles.dataFileUri(datasetUri, r.fileName()));
          continue;
        }
        DataFile file = new DataFile(r.fileName(), layout.fieldIds(), layout.columnIndices(), format.major(), format.minor(),
            r.fileSizeBytes() > 0 ? r.fileSizeBytes() : null, null);
        groups.add(new DataReplacement.DataReplacementGroup(r.fragmentId(), file));
        committed.add(r);
      }
      if (groups.isEmpty()) {
        return new Outcome(latest.version(), committed, leftOut);
      }
      try (Dataset after = latest.newTransactionBuilder()
          .readVersion(latest.version())
          .operation(DataReplacement.builder().replacements(groups).build())
          .transactionProperties(transactionProperties)
          .build()
          .commit()) {
        return new Outcome(after.version(), committed, leftOut);
      } catch (RuntimeException e) {
        throw new BackfillException("committing " + groups.size() + " fragment(s) to " + datasetUri + " failed: " + e.getMessage(), e);
      }
    }
  }

  private static FragmentMetadata fragment(Dataset dataset, int id) {
    return dataset.getFragments().stream().filter(f -> f.getId() == id).map(f -> f.metadata()).findFirst().orElse(null);
  }

  /** The file that holds the column in this fragment now (replaced by the commit), or null. */
  private static String currentFileOfColumn(FragmentMetadata meta, ColumnLayout layout) {
    for (DataFile f : meta.getFiles()) {
      if (layout.heldBy(f.getFields())) {
        return f.getPath();
      }
    }
    return null;
  }
}
