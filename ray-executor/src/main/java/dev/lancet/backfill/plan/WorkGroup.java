package dev.lancet.backfill.plan;

import dev.lancet.backfill.store.Json;
import dev.lancet.backfill.store.UdfCode;
import java.util.List;

/**
 * What one worker call computes: one fragment, or several small ones in a row that share a scan
 * ({@code GroupScan}). Small fragments cost more to start than to compute (a scan, a Ray task, a
 * round trip to the driver), so they travel in groups of about {@link WorkGroups#GROUP_ROWS} rows.
 *
 * @param units the fragments' units, in scan order
 */
public record WorkGroup(List<WorkUnit> units) {
  public WorkGroup {
    if (units.isEmpty()) {
      throw new IllegalArgumentException("a work group needs a unit");
    }
    units = List.copyOf(units);
  }

  public WorkUnit first() {
    return units.get(0);
  }

  public String column() {
    return first().column();
  }

  /** "fragment 7", or "fragments 7 to 12 (6)" for messages. */
  public String describe() {
    return units.size() == 1
        ? "fragment " + first().fragmentId()
        : "fragments "
            + first().fragmentId()
            + " to "
            + units.get(units.size() - 1).fragmentId()
            + " ("
            + units.size()
            + ")";
  }

  /**
   * The same group run again after its worker died: each unit looks for the checkpoints it left.
   */
  public WorkGroup retried() {
    return new WorkGroup(units.stream().map(WorkUnit::retried).toList());
  }

  /** The same group with the jars cluster workers load the UDF from. */
  public WorkGroup withCode(UdfCode code) {
    return new WorkGroup(units.stream().map(u -> u.withCode(code)).toList());
  }

  public String toJson() {
    return Json.write(this);
  }

  public static WorkGroup fromJson(String json) {
    return Json.read(json, WorkGroup.class);
  }
}
