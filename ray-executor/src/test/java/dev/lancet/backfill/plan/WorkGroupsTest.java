package dev.lancet.backfill.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.testing.TestJobs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkGroupsTest {
  private static final JobContext JOB = TestJobs.JOB;

  private static WorkUnit unit(int fragment, long rows) {
    return new WorkUnit(
        JOB,
        new FragmentWork(fragment, rows, rows, "k" + fragment, null, null, null, 0),
        null,
        false);
  }

  private static List<List<Integer>> ids(List<WorkGroup> groups) {
    return groups.stream().map(g -> g.units().stream().map(WorkUnit::fragmentId).toList()).toList();
  }

  @Test
  void smallFragmentsGoTogetherAndLargeOnesAlone() {
    List<WorkUnit> units = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      units.add(unit(i, 100));
    }
    units.add(5, unit(99, 1_000_000));
    // 1,001,000 rows over 2 workers: groups up to 65,536 rows
    assertEquals(
        List.of(List.of(99), List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)), ids(WorkGroups.of(units, 2)));
  }

  @Test
  void aSmallJobStillGivesEveryWorkerSeveralGroups() {
    List<WorkUnit> units = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      units.add(unit(i, 10));
    }
    // 400 rows, 2 workers, 4 groups each: 50 rows (5 fragments) a group
    List<WorkGroup> groups = WorkGroups.of(units, 2);
    assertEquals(8, groups.size());
    groups.forEach(g -> assertEquals(5, g.units().size()));
    assertEquals("fragments 0 to 4 (5)", groups.get(0).describe());
  }

  @Test
  void aGroupHoldsAtMostMaxUnitsFragments() {
    List<WorkUnit> units = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      units.add(unit(i, 1));
    }
    List<WorkGroup> groups = WorkGroups.of(units, 1); // target 500 rows
    assertEquals(4, groups.size());
    assertEquals(500, groups.get(0).units().size());
  }

  @Test
  void aGroupTravelsAsJsonWhole() {
    WorkGroup g = WorkGroup.of(List.of(unit(3, 7), unit(4, 8)));
    assertEquals(g, WorkGroup.fromJson(g.toJson()));
    assertEquals(List.of(unit(3, 7), unit(4, 8)), g.units());
    assertEquals(List.of(true, true), g.retry().units().stream().map(WorkUnit::mayResume).toList());
  }
}
