package dev.lancet.spark.views;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lancet.lance.StoredObjects;
import dev.lancet.lance.TableLocation;
import dev.lancet.spark.functions.FunctionCode;
import dev.lancet.spark.functions.TableFunctions;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a materialized view reflects, kept beside its data ({@code <view>/_lancet/view.json}, on the
 * local disk or in the view's S3 bucket): its definition, and each source fragment as the view last
 * computed it. A refresh compares the source's fragments with it; it is written after each commit
 * of a refresh, so a refresh that stops resumes after the fragments it finished.
 *
 * @param query the view's query as written
 * @param partitionBy the column grouping source rows (PARTITION BY), or null
 * @param source the source table's name, as the query resolved it (catalog.namespace.table)
 * @param sourceUri the source's dataset URI
 * @param sourceColumns the source columns the query reads (their files are what a fragment's values
 *     depend on)
 * @param sourceVersion the source version the view reflects in full
 * @param files per source fragment id: its physical rows and the files of the columns read
 * @param deletions per source fragment id: its deleted rows then
 * @param appending source fragments not in {@code files} whose derived rows may be in the view
 *     already (a refresh stopped while appending them), which the next refresh deletes first; null
 *     in a state written before this was kept, when any fragment's may be
 * @param functions the session's short names of 1:N UDFs the query uses, with what each stands for,
 *     so a session that never created them can refresh the view; null in a state of an earlier
 *     release
 * @param code the jars its 1:N UDFs load from, pinned at CREATE (in the source's jar store), so a
 *     session without them refreshes the view with the same code; null when the UDFs are on the
 *     engine's class path (or in a state of an earlier release: the session's class loader)
 * @param options the options given at CREATE (a refresh's own win over them); null: none
 * @param failed per source fragment id, the addresses of its rows whose UDF failed under {@code
 *     on_error = 'skip'}: they have no derived rows, and the next refresh computes them again;
 *     null: none
 * @param failedGroups a partitioned view's group keys (integers, texts) whose UDF failed under
 *     {@code on_error = 'skip'}: they have no derived rows, and the next refresh computes them
 *     again; null: none
 */
record ViewState(
    String query,
    String partitionBy,
    String source,
    String sourceUri,
    List<String> sourceColumns,
    long sourceVersion,
    Map<Integer, String> files,
    Map<Integer, Long> deletions,
    Set<Integer> appending,
    Map<String, TableFunctions.Definition> functions,
    FunctionCode code,
    ViewOptions options,
    Map<Integer, Set<Long>> failed,
    Set<Object> failedGroups) {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  ViewState {
    sourceColumns = List.copyOf(sourceColumns);
    files = new TreeMap<>(files);
    deletions = new TreeMap<>(deletions);
    appending = appending == null ? null : new TreeSet<>(appending);
    functions = functions == null ? null : new TreeMap<>(functions);
    failed = failed == null ? Map.of() : copyOf(failed);
    failedGroups =
        failedGroups == null
            ? Set.of()
            : failedGroups.stream()
                .map(GroupKeys::normal)
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
  }

  private static Map<Integer, Set<Long>> copyOf(Map<Integer, Set<Long>> failed) {
    Map<Integer, Set<Long>> out = new TreeMap<>();
    failed.forEach(
        (id, rows) -> {
          if (!rows.isEmpty()) {
            out.put(id, new TreeSet<>(rows));
          }
        });
    return out;
  }

  /** The same state with {@code newFailed} as its failed rows. */
  ViewState withFailed(Map<Integer, Set<Long>> newFailed) {
    return copy(sourceVersion, files, deletions, appending, newFailed, failedGroups);
  }

  /** The same state with {@code newFailedGroups} as its failed groups. */
  ViewState withFailedGroups(Set<Object> newFailedGroups) {
    return copy(sourceVersion, files, deletions, appending, failed, newFailedGroups);
  }

  /** The same definition with what a refresh changes: the source as reflected, and the failures. */
  private ViewState copy(
      long version,
      Map<Integer, String> newFiles,
      Map<Integer, Long> newDeletions,
      Set<Integer> newAppending,
      Map<Integer, Set<Long>> newFailed,
      Set<Object> newFailedGroups) {
    return new ViewState(
        query,
        partitionBy,
        source,
        sourceUri,
        sourceColumns,
        version,
        newFiles,
        newDeletions,
        newAppending,
        functions,
        code,
        options,
        newFailed,
        newFailedGroups);
  }

  /** The state's URI for the view at {@code view} (a local path or an s3:// object). */
  static String uriOf(TableLocation view) {
    String base = view.uri().endsWith("/") ? view.uri() : view.uri() + "/";
    return base + "_lancet/view.json";
  }

  /** The view's state, or null when the table is not a materialized view. */
  static ViewState read(TableLocation view) {
    String uri = uriOf(view);
    try {
      StoredObjects.Stored stored = StoredObjects.read(uri, view.storageOptions());
      return stored == null ? null : JSON.readValue(stored.text(), ViewState.class);
    } catch (IOException e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR, "cannot read " + uri + ": " + e.getMessage());
    }
  }

  /** Writes the state in one step, so a reader sees the old or the new one whole. */
  void write(TableLocation view) {
    String uri = uriOf(view);
    try {
      StoredObjects.write(uri, JSON.writeValueAsString(this), view.storageOptions());
    } catch (IOException e) {
      throw new LancetException(
          ErrorCode.LANCET_STORAGE_ERROR, "cannot write " + uri + ": " + e.getMessage());
    }
  }

  /** The same definition at another source version and fragments, with nothing being appended. */
  ViewState at(long version, Map<Integer, String> newFiles, Map<Integer, Long> newDeletions) {
    return at(version, newFiles, newDeletions, Set.of());
  }

  /** {@link #at(long, Map, Map)} with {@code appending} (null: unknown). */
  ViewState at(
      long version,
      Map<Integer, String> newFiles,
      Map<Integer, Long> newDeletions,
      Set<Integer> newAppending) {
    return copy(version, newFiles, newDeletions, newAppending, failed, failedGroups);
  }

  /**
   * Whether the view may hold derived rows of source fragment {@code id}: computed before, or being
   * appended when a refresh stopped (any, for a state that did not keep it).
   */
  boolean mayHoldRowsOf(int id) {
    return files.containsKey(id) || appending == null || appending.contains(id);
  }
}
