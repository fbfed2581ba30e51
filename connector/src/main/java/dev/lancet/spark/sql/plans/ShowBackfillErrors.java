package dev.lancet.spark.sql.plans;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** {@code SHOW BACKFILL ERRORS [IN t] [FOR JOB 'id']}: the rows whose UDF call failed. */
public final class ShowBackfillErrors extends LancetCommand {
  /** The rows SHOW BACKFILL ERRORS returns. */
  public static final StructType OUTPUT_SCHEMA =
      new StructType()
          .add("table", DataTypes.StringType, false)
          .add("job_id", DataTypes.StringType, false)
          .add("column", DataTypes.StringType, false)
          .add("row_address", DataTypes.LongType, false)
          .add("fragment", DataTypes.IntegerType, false)
          .add("row", DataTypes.LongType, false)
          .add("inputs", DataTypes.StringType, true)
          .add("error", DataTypes.StringType, true)
          .add("attempts", DataTypes.IntegerType, false)
          .add("recorded_at", DataTypes.TimestampType, false);

  private final String jobId;

  /**
   * @param table the table's name parts, or empty for every Lance table of the current namespace
   * @param jobId one job's, or null for every job's
   */
  public ShowBackfillErrors(List<String> table, String jobId) {
    super(table, OUTPUT_SCHEMA);
    this.jobId = jobId;
  }

  public String jobId() {
    return jobId;
  }

  @Override
  protected List<Object> fields() {
    List<Object> f = new ArrayList<>();
    f.add(table());
    f.add(jobId == null ? "" : jobId);
    return f;
  }
}
