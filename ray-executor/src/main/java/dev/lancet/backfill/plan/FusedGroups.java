package dev.lancet.backfill.plan;

import dev.lancet.backfill.store.Json;
import java.util.List;

/**
 * The work groups of several columns over the same rows (same fragments, ranges, filter and table
 * version), computed by one worker from one scan of the union of their inputs: what {@code BACKFILL
 * t (a, b, c)} sends a worker when the columns have the same work. Each group stays its column's
 * own (its job, checkpoints and receipts); only the scan is shared.
 *
 * <p>A fusion sends a lone column's group the same way, so every result names its column.
 *
 * @param fused the groups, one per column
 */
public record FusedGroups(List<WorkGroup> fused) {
  private static final String PREFIX = "{\"fused\":";

  public FusedGroups {
    if (fused.isEmpty()) {
      throw new IllegalArgumentException("fused work groups need a group");
    }
    fused = List.copyOf(fused);
  }

  /**
   * What identifies the rows a group computes: its table and version, filter, batch size, and
   * fragments with their row ranges. Groups with the same key can share one scan.
   */
  public static String rowsKey(WorkGroup group) {
    WorkUnit first = group.first();
    StringBuilder key = new StringBuilder();
    key.append(first.datasetUri()).append('@').append(first.version());
    key.append('|').append(first.filter()).append('|').append(first.batchSize()).append('|');
    for (WorkUnit u : group.units()) {
      key.append(u.fragmentId()).append(':');
      key.append(u.isRange() ? u.firstSlot() + "-" + u.endSlot() : "all").append(',');
    }
    return key.toString();
  }

  /** Whether a task's JSON is fused groups (else it is one {@link WorkGroup}). */
  public static boolean isFused(String taskJson) {
    return taskJson.startsWith(PREFIX);
  }

  /** The fused groups a worker was sent. */
  public static FusedGroups fromJson(String json) {
    return Json.read(json, FusedGroups.class);
  }

  /** The groups as they travel to a worker. */
  public String toJson() {
    return Json.write(this);
  }

  /** The same groups run again after their worker died: each resumes from its checkpoints. */
  public FusedGroups retry() {
    return new FusedGroups(fused.stream().map(WorkGroup::retry).toList());
  }

  /** A task's JSON run again: fused groups or one group, each retried. */
  public static String retryJson(String taskJson) {
    return isFused(taskJson)
        ? fromJson(taskJson).retry().toJson()
        : WorkGroup.fromJson(taskJson).retry().toJson();
  }

  /**
   * What a worker returns for fused groups: each column's receipts ({@code FragmentReceipt} JSON
   * lists), under its column's name.
   *
   * @param columns the columns, in the groups' order
   * @param results each column's receipts
   */
  public record Results(List<String> columns, List<String> results) {
    public Results {
      columns = List.copyOf(columns);
      results = List.copyOf(results);
    }

    private static final String PREFIX = "{\"columns\":";

    /** Whether a task's result is a fused task's (else it is one group's receipts). */
    public static boolean isFused(String result) {
      return result.startsWith(PREFIX);
    }

    public String toJson() {
      return Json.write(this);
    }

    public static Results fromJson(String json) {
      return Json.read(json, Results.class);
    }
  }
}
