package dev.lancet.spark.sql.plans;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code OPTIMIZE [TABLE] t [OPTIONS (target_rows_per_fragment = n)]}: compacts the table's
 * fragments (Lance's compaction, deletions materialized).
 */
public final class OptimizeTable extends LancetCommand {
  /** The row OPTIMIZE returns. */
  public static final StructType OUTPUT_SCHEMA =
      new StructType()
          .add("table", DataTypes.StringType, false)
          .add("fragments_before", DataTypes.IntegerType, false)
          .add("fragments_after", DataTypes.IntegerType, false)
          .add("table_version", DataTypes.LongType, false);

  private final Long targetRowsPerFragment;

  /**
   * @param targetRowsPerFragment rows per fragment to aim for; null for Lance's default
   */
  public OptimizeTable(List<String> table, Long targetRowsPerFragment) {
    super(table, OUTPUT_SCHEMA);
    this.targetRowsPerFragment = targetRowsPerFragment;
  }

  public Long targetRowsPerFragment() {
    return targetRowsPerFragment;
  }

  @Override
  protected List<Object> fields() {
    return Arrays.asList(table(), targetRowsPerFragment);
  }
}
