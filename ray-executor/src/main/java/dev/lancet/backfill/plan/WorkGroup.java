package dev.lancet.backfill.plan;

import dev.lancet.backfill.store.Json;
import dev.lancet.backfill.store.UdfCode;
import java.util.List;
import java.util.Objects;

/**
 * What one worker call computes: one fragment, or several small ones in a row that share a scan
 * ({@code GroupScan}). Small fragments cost more to start than to compute (a scan, a Ray task, a
 * round trip to the driver), so they travel in groups of about {@link WorkGroups#GROUP_ROWS} rows.
 * The job's context travels once per group, not once per fragment.
 *
 * @param job what every fragment of the job shares
 * @param fragments the fragments' own parts, in scan order
 * @param code the user's jars cluster workers load the UDF from, or null
 * @param retried whether the group runs again after its worker died: each fragment then looks for
 *     the checkpoints it left
 */
public record WorkGroup(
    JobContext job, List<FragmentWork> fragments, UdfCode code, boolean retried) {
  public WorkGroup {
    if (fragments.isEmpty()) {
      throw new IllegalArgumentException("a work group needs a unit");
    }
    fragments = List.copyOf(fragments);
  }

  /**
   * The group of {@code units}, which come from one plan: they share the job, the code and whether
   * they are retried.
   */
  static WorkGroup of(List<WorkUnit> units) {
    if (units.isEmpty()) {
      throw new IllegalArgumentException("a work group needs a unit");
    }
    WorkUnit first = units.get(0);
    for (WorkUnit u : units) {
      if (!u.job().equals(first.job())
          || !Objects.equals(u.code(), first.code())
          || u.retried() != first.retried()) {
        throw new IllegalArgumentException("a work group's units come from one job");
      }
    }
    return new WorkGroup(
        first.job(),
        units.stream().map(WorkUnit::fragment).toList(),
        first.code(),
        first.retried());
  }

  /** The group's fragments as the units worker code computes, in scan order. */
  public List<WorkUnit> units() {
    return fragments.stream().map(this::unit).toList();
  }

  /** The first fragment's unit. */
  public WorkUnit first() {
    return unit(fragments.get(0));
  }

  private WorkUnit unit(FragmentWork fragment) {
    return new WorkUnit(job, fragment, code, retried);
  }

  /** The column the group computes. */
  public String column() {
    return job.column();
  }

  /** "fragment 7", or "fragments 7 to 12 (6)" for messages. */
  public String describe() {
    return fragments.size() == 1
        ? "fragment " + fragments.get(0).fragmentId()
        : "fragments "
            + fragments.get(0).fragmentId()
            + " to "
            + fragments.get(fragments.size() - 1).fragmentId()
            + " ("
            + fragments.size()
            + ")";
  }

  /** The same group run again after its worker died: it looks for the checkpoints it left. */
  public WorkGroup retry() {
    return new WorkGroup(job, fragments, code, true);
  }

  /** The same group with the jars cluster workers load the UDF from. */
  public WorkGroup withCode(UdfCode newCode) {
    return new WorkGroup(job, fragments, newCode, retried);
  }

  /** The group as it travels to a worker. */
  public String toJson() {
    return Json.write(this);
  }

  /** The group a worker was sent. */
  public static WorkGroup fromJson(String json) {
    return Json.read(json, WorkGroup.class);
  }
}
