package dev.lancet.backfill.plan;

import dev.lancet.backfill.BackfillProgress;
import dev.lancet.backfill.store.UdfCode;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.OnError;
import dev.lancet.udf.UdfClassPolicy;
import java.util.function.Consumer;

/**
 * How one backfill runs, as chosen on {@link dev.lancet.backfill.Backfill}.
 *
 * @param table the table (its URI and Lance storage options)
 * @param tableName the table as users name it in messages (null: its URI)
 * @param batchSize this run's rows per UDF batch, or null for the column's (registration, then
 *     {@code @Udf}), else the default
 * @param commitGranularity fragments committed together, or 0 to adapt to the job ({@code
 *     CommitCadence})
 * @param commitIntervalMillis longest time finished fragments wait for a commit
 * @param concurrency Ray actors computing at once
 * @param taskSize rows one task computes at most (a larger fragment is cut into row ranges), or 0
 *     for the default ({@link WorkGroups#taskSize})
 * @param limit a pilot run's most rows to compute, or 0 for every row in scope
 * @param filter Lance filter of the rows to compute, or null for all
 * @param checkpoints whether finished batches are checkpointed
 * @param checkpointIntervalMillis how often a fragment in progress checkpoints its finished batches
 * @param listener receives progress after each fragment
 * @param classLoader where the UDF class is loaded from on the driver (and by LOCAL-mode workers)
 * @param classPolicy which UDF classes may be loaded
 * @param code the user's jars cluster workers load the UDF from
 * @param onError a per-run override of the UDF's on_error ({@code fail} or {@code null}), or null
 * @param maxErrorFraction a per-run override of max_error_fraction, or null
 * @param jobId the job's id
 * @param control where a cancellation comes from
 */
public record BackfillSettings(
    TableLocation table,
    String tableName,
    Integer batchSize,
    int commitGranularity,
    long commitIntervalMillis,
    int concurrency,
    long taskSize,
    long limit,
    String filter,
    boolean checkpoints,
    long checkpointIntervalMillis,
    Consumer<BackfillProgress> listener,
    ClassLoader classLoader,
    UdfClassPolicy classPolicy,
    UdfCode code,
    OnError onError,
    Double maxErrorFraction,
    String jobId,
    dev.lancet.backfill.BackfillControl control) {

  /** The table's name for messages. */
  String tableName(String datasetUri) {
    return tableName != null ? tableName : datasetUri;
  }
}
