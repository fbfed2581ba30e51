package dev.lancet.backfill.internal;

import dev.lancet.udf.UdfSpec;
import java.util.List;
import java.util.Map;
import org.lance.schema.LanceField;

/**
 * A backfill pinned to one table version: the column, its spec and Lance field, one work unit
 * per fragment that needs computing, and what was found already up to date.
 *
 * @param upToDateFragments fragments skipped because their column file matches the same key
 * @param upToDateRows live rows of those fragments
 */
record BackfillPlan(
    String datasetUri,
    long version,
    String column,
    LanceField field,
    UdfSpec spec,
    String filter,
    List<WorkUnit> units,
    Map<Integer, PlannedFragment> fragments,
    int upToDateFragments,
    long upToDateRows) {}
