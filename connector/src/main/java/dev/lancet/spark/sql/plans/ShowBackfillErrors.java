package dev.lancet.spark.sql.plans;

import dev.lancet.spark.metadata.MetadataRows;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/** {@code SHOW BACKFILL ERRORS [IN t] [FOR JOB 'id']}: the rows whose UDF call failed. */
public final class ShowBackfillErrors extends LancetCommand {
  /** The rows SHOW BACKFILL ERRORS returns. */
  public static final StructType OUTPUT_SCHEMA = MetadataRows.ERRORS;

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
