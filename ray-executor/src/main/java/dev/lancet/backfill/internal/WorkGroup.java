package dev.lancet.backfill.internal;

import dev.lancet.ray.UdfCode;
import java.util.List;

/**
 * What one worker call computes: one fragment, or several small ones in a row that share a scan
 * ({@link GroupScan}). Small fragments cost more to start than to compute (a scan, a Ray task, a
 * round trip to the driver), so they travel in groups of about {@link WorkGroups#GROUP_ROWS} rows.
 *
 * @param units the fragments' units, in scan order
 */
record WorkGroup(List<WorkUnit> units) {
  WorkGroup {
    if (units.isEmpty()) {
      throw new IllegalArgumentException("a work group needs a unit");
    }
    units = List.copyOf(units);
  }

  WorkUnit first() {
    return units.get(0);
  }

  String column() {
    return first().column();
  }

  /** "fragment 7", or "fragments 7 to 12 (6)" for messages. */
  String describe() {
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
  WorkGroup retried() {
    return new WorkGroup(units.stream().map(WorkUnit::retried).toList());
  }

  /** The same group with the jars cluster workers load the UDF from. */
  WorkGroup withCode(UdfCode code) {
    return new WorkGroup(units.stream().map(u -> u.withCode(code)).toList());
  }

  String toJson() {
    return Json.write(this);
  }

  static WorkGroup fromJson(String json) {
    return Json.read(json, WorkGroup.class);
  }
}
