package dev.lancet.backfill.internal;

import dev.lancet.backfill.BackfillProgress;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How one backfill runs, as chosen on {@link dev.lancet.backfill.Backfill}.
 *
 * @param storageOptions Lance storage options
 * @param batchSize rows per UDF batch (unless the UDF sets its own)
 * @param commitGranularity fragments committed together
 * @param concurrency Ray actors computing at once
 * @param filter Lance filter of the rows to compute, or null for all
 * @param checkpoints whether finished batches are checkpointed
 * @param checkpointIntervalMillis how often a fragment in progress checkpoints its finished batches
 * @param listener receives progress after each fragment
 */
public record BackfillSettings(
    Map<String, String> storageOptions,
    int batchSize,
    int commitGranularity,
    int concurrency,
    String filter,
    boolean checkpoints,
    long checkpointIntervalMillis,
    Consumer<BackfillProgress> listener) {}
