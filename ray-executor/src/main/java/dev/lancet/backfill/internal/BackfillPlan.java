package dev.lancet.backfill.internal;

import dev.lancet.udf.UdfSpec;
import java.util.List;
import java.util.Map;
import org.lance.schema.LanceField;

/**
 * A backfill pinned to one table version: the column, its spec and field id, and one work unit
 * per fragment that has live rows.
 */
record BackfillPlan(
    String datasetUri,
    long version,
    String column,
    LanceField field,
    UdfSpec spec,
    List<WorkUnit> units,
    Map<Integer, PlannedFragment> fragments) {}
