package dev.lancet.backfill.internal;

/** The Ray task: a static method taking and returning JSON strings (a work unit, a receipt). */
public final class FragmentTask {
  private FragmentTask() {}

  public static String run(String workUnitJson) {
    return FragmentComputer.compute(WorkUnit.fromJson(workUnitJson)).toJson();
  }
}
