package dev.lancet.spark.sql.plans;

import dev.lancet.spark.metadata.MetadataRows;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * {@code SHOW BACKFILL JOBS [IN t]}: the backfill jobs of a table, or of every Lance table of the
 * current namespace.
 */
public final class ShowBackfillJobs extends LancetCommand {
  /** The rows SHOW BACKFILL JOBS returns. */
  public static final StructType OUTPUT_SCHEMA = MetadataRows.JOBS;

  /**
   * @param table the table's name parts, or empty for every Lance table of the current namespace
   */
  public ShowBackfillJobs(List<String> table) {
    super(table, OUTPUT_SCHEMA);
  }

  @Override
  protected List<Object> fields() {
    return List.of(table());
  }
}
