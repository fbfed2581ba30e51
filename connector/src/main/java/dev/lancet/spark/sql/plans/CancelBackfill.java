package dev.lancet.spark.sql.plans;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code CANCEL BACKFILL 'job id' [IN t]}: asks a running backfill job to stop, from any session.
 */
public final class CancelBackfill extends LancetCommand {
  /** The row CANCEL BACKFILL returns. */
  public static final StructType OUTPUT_SCHEMA =
      new StructType()
          .add("table", DataTypes.StringType, false)
          .add("job_id", DataTypes.StringType, false)
          .add("column", DataTypes.StringType, false)
          .add("status", DataTypes.StringType, false)
          .add("result", DataTypes.StringType, false);

  private final String jobId;

  /**
   * @param table the job's table name parts, or empty to look in every Lance table of the current
   *     namespace
   */
  public CancelBackfill(String jobId, List<String> table) {
    super(table, OUTPUT_SCHEMA);
    this.jobId = jobId;
  }

  public String jobId() {
    return jobId;
  }

  @Override
  protected List<Object> fields() {
    return List.of(jobId, table());
  }
}
