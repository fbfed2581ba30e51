package dev.lancet.backfill.commit;

import dev.lancet.backfill.BackfillCommitException;
import dev.lancet.backfill.BackfillException;
import dev.lancet.lance.ColumnFile;
import dev.lancet.lance.ColumnLayout;
import dev.lancet.lance.DataFiles;
import dev.lancet.lance.FileFormat;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.lance.Dataset;
import org.lance.FragmentMetadata;
import org.lance.fragment.DataFile;
import org.lance.operation.DataReplacement;
import org.lance.schema.LanceField;

/**
 * Commits finished fragments' column files to the table in Lance DataReplacement transactions, one
 * per field set. Before committing it re-reads each target fragment: one whose input or column
 * files or physical rows changed since planning (a concurrent update, compaction or backfill of the
 * same column) is left out, because committing its file could misalign rows or overwrite newer
 * values; the next backfill computes it.
 *
 * <p>Retries are idempotent: a fragment that already holds the receipt's file was committed by an
 * earlier attempt (one that landed, then threw). A file is deleted only when no attempt can have
 * committed it; after an ambiguous failure it is left in place, for Lance's cleanup of unreferenced
 * files, because some table version may reference it.
 */
public final class FragmentCommitter {
  private static final int ATTEMPTS = 5;

  /**
   * This JVM's committers of each table commit one at a time (columns backfilled together commit
   * from their own threads): Lance's commits of one table from several threads at once were seen to
   * leave its latest version behind for a while (stack notes).
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, Object> COMMITTING =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final TableLocation table;
  private final List<LanceField> fields;
  private final Map<String, String> transactionProperties;

  public FragmentCommitter(
      TableLocation table, List<LanceField> fields, Map<String, String> transactionProperties) {
    this.table = table;
    this.fields = List.copyOf(fields);
    this.transactionProperties = transactionProperties;
  }

  /**
   * What a commit did: the new version, the fragments it replaced or left out, and the Lance
   * commits made.
   */
  public record Outcome(
      long version, List<FragmentReceipt> committed, List<FragmentReceipt> leftOut, int commits) {}

  /**
   * Commits the receipts' files, leaving out fragments that changed since planning. A failed commit
   * is retried against the latest version after a jittered backoff; the last failure is raised with
   * the finished work still recorded.
   */
  public Outcome commit(List<FragmentReceipt> receipts, Map<Integer, PlannedFragment> planned) {
    Set<String> attempted = new HashSet<>(); // files in a commit call that threw: maybe committed
    List<FragmentReceipt> committed = new ArrayList<>();
    int commits = 0;
    RuntimeException last = null;
    String datasetUri = table.uri();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) {
        backoff(attempt);
      }
      synchronized (COMMITTING.computeIfAbsent(datasetUri, k -> new Object())) {
        try (Dataset latest = LanceDatasets.open(table)) {
          List<FragmentReceipt> pending = new ArrayList<>();
          List<FragmentReceipt> leftOut = new ArrayList<>();
          for (FragmentReceipt r : receipts) {
            if (committed.contains(r)) {
              continue;
            }
            // Only the receipts' fragments cross JNI: the whole list costs ~20 us a fragment, per
            // commit.
            FragmentMetadata now = fragment(latest, r.fragmentId());
            if (PlannedFragment.holds(now, r.fileName())) {
              committed.add(r); // an earlier attempt landed before it failed
            } else if (planned.get(r.fragmentId()).unchangedIn(now)) {
              pending.add(r);
            } else {
              leftOut.add(r);
            }
          }
          long version = latest.version();
          for (List<FragmentReceipt> group : byFieldSet(pending, latest)) {
            group.forEach(r -> attempted.add(r.fileName()));
            version = commitGroup(latest.version() == version ? latest : null, version, group);
            committed.addAll(group);
            commits++;
          }
          deleteUncommittable(leftOut, attempted);
          return new Outcome(version, committed, leftOut, commits);
        } catch (RuntimeException e) {
          last = e;
        }
      }
    }
    throw new BackfillCommitException(
        attempted.isEmpty(),
        "committing "
            + receipts.size()
            + " fragment(s) to "
            + datasetUri
            + " failed after "
            + ATTEMPTS
            + " attempts: "
            + last.getMessage()
            + "; the computed files are recorded: run the backfill again to"
            + " commit them",
        last);
  }

  /**
   * Fragments whose column sits in a multi-column file (appended with the column, updated, or
   * compacted) are replaced with a file of the same field set, so they go in commits of their own.
   */
  private List<List<FragmentReceipt>> byFieldSet(List<FragmentReceipt> pending, Dataset latest) {
    ColumnLayout layout = ColumnLayout.of(fields, FileFormat.of(latest));
    Map<String, List<FragmentReceipt>> groups = new LinkedHashMap<>();
    for (FragmentReceipt r : pending) {
      int[] fields = r.replaces() == null ? layout.fieldIds() : r.replaces().fieldIds();
      groups.computeIfAbsent(Arrays.toString(fields), k -> new ArrayList<>()).add(r);
    }
    return new ArrayList<>(groups.values());
  }

  private long commitGroup(Dataset readAt, long readVersion, List<FragmentReceipt> group) {
    FileFormat format;
    Dataset base = readAt != null ? readAt : LanceDatasets.open(table, readVersion);
    try {
      format = FileFormat.of(base);
      ColumnLayout layout = ColumnLayout.of(fields, format);
      List<DataReplacement.DataReplacementGroup> replacements = new ArrayList<>();
      for (FragmentReceipt r : group) {
        ColumnFile shared = r.replaces();
        Long size = r.fileSizeBytes() > 0 ? r.fileSizeBytes() : null;
        DataFile file =
            shared == null
                ? new DataFile(
                    r.fileName(),
                    layout.fieldIds(),
                    layout.columnIndices(),
                    format.major(),
                    format.minor(),
                    size,
                    null)
                : new DataFile(
                    r.fileName(),
                    shared.fieldIds(),
                    shared.columnIndices(),
                    shared.major(),
                    shared.minor(),
                    size,
                    null);
        replacements.add(new DataReplacement.DataReplacementGroup(r.fragmentId(), file));
      }
      List<Integer> ids = group.stream().map(FragmentReceipt::fragmentId).toList();
      CommitHooks.current().beforeCommit(ids);
      try (Dataset after =
          base.newTransactionBuilder()
              .readVersion(base.version())
              .operation(DataReplacement.builder().replacements(replacements).build())
              .transactionProperties(transactionProperties)
              .build()
              .commit()) {
        CommitHooks.current().afterCommit(ids, after.version());
        return after.version();
      }
    } finally {
      if (base != readAt) {
        base.close();
      }
    }
  }

  private static FragmentMetadata fragment(Dataset dataset, int id) {
    try {
      org.lance.Fragment f = dataset.getFragment(id);
      return f == null ? null : f.metadata();
    } catch (RuntimeException gone) {
      return null; // deleted (all its rows) or compacted away since planning
    }
  }

  /** Deletes files of left-out fragments that no attempt tried to commit and this run wrote. */
  private void deleteUncommittable(List<FragmentReceipt> leftOut, Set<String> attempted) {
    leftOut.stream()
        .filter(r -> !r.earlierFile() && !attempted.contains(r.fileName()))
        .forEach(
            r ->
                DataFiles.deleteQuietly(
                    DataFiles.dataFileUri(table, r.fileName()), table.storageOptions()));
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
}
