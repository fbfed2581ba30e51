package dev.lancet.backfill.internal;

import dev.lancet.backfill.BackfillException;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
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

  /** What a commit did: the new version, the fragments it replaced or left out, and the Lance commits made. */
  record Outcome(long version, List<FragmentReceipt> committed, List<FragmentReceipt> leftOut, int commits) {}

  private static final int ATTEMPTS = 5;

  /**
   * Commits the receipts' files, leaving out fragments that changed since planning. A failed
   * commit is retried against the latest version after a jittered backoff; the last failure is
   * raised with the finished batches still checkpointed.
   */
  Outcome commit(List<FragmentReceipt> receipts, Map<Integer, PlannedFragment> planned) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) {
        backoff(attempt);
      }
      try {
        return attempt(receipts, planned);
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw new BackfillException("committing " + receipts.size() + " fragment(s) to " + datasetUri + " failed after "
        + ATTEMPTS + " attempts: " + last.getMessage() + "; finished batches are checkpointed: run the backfill again to"
        + " resume", last);
  }

  private Outcome attempt(List<FragmentReceipt> receipts, Map<Integer, PlannedFragment> planned) {
    try (Dataset latest = LanceDatasets.open(datasetUri, storageOptions)) {
      FileFormat format = FileFormat.of(latest);
      ColumnLayout layout = ColumnLayout.of(field, format);
      List<DataReplacement.DataReplacementGroup> groups = new ArrayList<>();
      List<FragmentReceipt> committed = new ArrayList<>();
      List<FragmentReceipt> leftOut = new ArrayList<>();
      for (FragmentReceipt r : receipts) {
        if (!planned.get(r.fragmentId()).unchangedIn(fragment(latest, r.fragmentId()))) {
          leftOut.add(r);
          continue;
        }
        WorkUnit.SharedFile shared = r.replaces();
        DataFile file = shared == null
            ? new DataFile(r.fileName(), layout.fieldIds(), layout.columnIndices(), format.major(), format.minor(),
                r.fileSizeBytes() > 0 ? r.fileSizeBytes() : null, null)
            : new DataFile(r.fileName(), shared.fieldIds(), shared.columnIndices(), shared.major(), shared.minor(),
                r.fileSizeBytes() > 0 ? r.fileSizeBytes() : null, null);
        groups.add(new DataReplacement.DataReplacementGroup(r.fragmentId(), file));
        committed.add(r);
      }
      if (groups.isEmpty()) {
        deleteOwn(leftOut);
        return new Outcome(latest.version(), committed, leftOut, 0);
      }
      // One DataReplacement may only swap files of one field set: fragments whose column sits in a
      // multi-column file (appended after the column was added, or compacted) go in their own commit.
      Map<String, List<DataReplacement.DataReplacementGroup>> byFields = new LinkedHashMap<>();
      for (DataReplacement.DataReplacementGroup g : groups) {
        byFields.computeIfAbsent(Arrays.toString(g.replacedFile().getFields()), k -> new ArrayList<>()).add(g);
      }
      long version = latest.version();
      Dataset current = latest;
      try {
        for (List<DataReplacement.DataReplacementGroup> sameFields : byFields.values()) {
          Dataset after = current.newTransactionBuilder()
              .readVersion(current.version())
              .operation(DataReplacement.builder().replacements(sameFields).build())
              .transactionProperties(transactionProperties)
              .build()
              .commit();
          if (current != latest) {
            current.close();
          }
          current = after;
          version = after.version();
        }
      } finally {
        if (current != latest) {
          current.close();
        }
      }
      deleteOwn(leftOut);
      return new Outcome(version, committed, leftOut, byFields.size());
    }
  }

  /** Deletes files this run wrote and will not commit; a file an earlier run finished may be committed by it. */
  private void deleteOwn(List<FragmentReceipt> receipts) {
    receipts.stream().filter(r -> !r.earlierFile())
        .forEach(r -> DataFiles.deleteQuietly(DataFiles.dataFileUri(datasetUri, r.fileName())));
  }

  private static void backoff(int attempt) {
    long base = 50L << Math.min(attempt, 6);
    long sleep = base / 2 + ThreadLocalRandom.current().nextLong(base);
    try {
      Thread.sleep(sleep);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackfillException("interrupted while retrying a commit");
    }
  }

  private static FragmentMetadata fragment(Dataset dataset, int id) {
    return dataset.getFragments().stream().filter(f -> f.getId() == id).map(f -> f.metadata()).findFirst().orElse(null);
  }

}
