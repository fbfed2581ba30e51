package dev.lancet.backfill.run;

import dev.lancet.backfill.BackfillExplanation;
import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.engine.WorkerEngine;
import dev.lancet.backfill.plan.BackfillPlan;
import dev.lancet.backfill.plan.BackfillPlanner;
import dev.lancet.backfill.plan.BackfillSettings;
import dev.lancet.backfill.plan.WorkGroups;
import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.backfill.store.JobRecords;
import dev.lancet.backfill.store.UdfCode;
import dev.lancet.udf.CodeIdentity;
import java.util.ArrayList;
import java.util.List;

/**
 * Explains a backfill without running it: the plan {@link BackfillRunner} would make, cut into
 * tasks and groups as it would cut them, with the commits it would make and a time estimated from
 * the column's last job. Starts no engine and publishes no jar.
 */
public final class BackfillExplainer {
  private BackfillExplainer() {}

  public static BackfillExplanation explain(
      String named, BackfillSettings settings, WorkerEngine engine) {
    BackfillPlanner.Explained explained = BackfillPlanner.explain(named, settings);
    String column = explained.plan().column(); // a sibling's is its group's lead
    BackfillPlan plan = explained.plan();
    List<WorkUnit> units = plan.units();
    long taskSize = BackfillRunner.taskSize(plan, settings);
    List<WorkUnit> tasks = WorkGroups.split(units, taskSize);
    int split = (int) units.stream().filter(u -> u.physicalRows() > taskSize).count();
    int groups = WorkGroups.of(tasks, settings.concurrency()).size();
    int toCommit = plan.work().size() + plan.reused().size();
    int granularity =
        CommitCadence.of(
                settings.commitGranularity(),
                settings.commitIntervalMillis(),
                plan.work().size() + plan.reused().size())
            .fragments();
    // A commit group's fragments whose column shares a file with other columns are replaced in a
    // commit per field set (FragmentCommitter).
    java.util.Set<String> fieldSets = new java.util.HashSet<>();
    plan.work().forEach(w -> fieldSets.add(fieldSet(w.current())));
    plan.reused().forEach(r -> fieldSets.add(fieldSet(r.replaces())));
    int commits =
        toCommit == 0 ? 0 : Math.max((toCommit + granularity - 1) / granularity, fieldSets.size());
    BackfillJob rate = JobRecords.lastRate(settings.table(), column).orElse(null);
    return new BackfillExplanation(
        column,
        plan.version(),
        plan.filter(),
        settings.limit(),
        explained.toCompute(),
        explained.fragmentsWithWork(),
        plan.work().size(),
        plan.upToDateFragments(),
        plan.reused().size(),
        explained.finishedEarlier().toCompute(),
        taskSize,
        split,
        tasks.size(),
        groups,
        engine.name(),
        Math.max(1, Math.min(settings.concurrency(), groups)),
        settings.checkpoints(),
        plan.job().mayResume(),
        granularity,
        commits,
        plan.udfVersion(),
        code(plan, settings),
        rate == null ? null : rate.rowsPerSecond(),
        rate == null ? null : rate.jobId(),
        rate == null ? 0 : rate.peakTaskMemoryBytes());
  }

  private static String fieldSet(dev.lancet.lance.ColumnFile file) {
    return file == null || !file.shared() ? "own" : java.util.Arrays.toString(file.fieldIds());
  }

  /** The code workers would run: the pinned jars, else the session's. */
  private static List<String> code(BackfillPlan plan, BackfillSettings settings) {
    List<String> out = new ArrayList<>();
    out.add(CodeIdentity.describe(plan.spec().codeHash()));
    if (!plan.spec().jars().isEmpty()) {
      plan.spec().jars().forEach(j -> out.add("pinned " + j.describe()));
    } else {
      UdfCode.userJars(settings.classLoader())
          .forEach(j -> out.add(j.getFileName() + " sha256:" + CodeIdentity.sha256(j)));
    }
    return out;
  }
}
