package dev.lancet.spark.sql.plans;

import dev.lancet.spark.metadata.MetadataRows;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * {@code SHOW VIRTUAL COLUMNS IN t}: one row per virtual column with its definition, the version a
 * backfill would compute it under now (and the code it would run), and how many rows hold a value
 * current for that version.
 */
public final class ShowVirtualColumns extends LancetCommand {
  /** The rows SHOW VIRTUAL COLUMNS returns. */
  public static final StructType OUTPUT_SCHEMA = MetadataRows.VIRTUAL_COLUMNS;

  public ShowVirtualColumns(List<String> table) {
    super(table, OUTPUT_SCHEMA);
  }

  @Override
  protected List<Object> fields() {
    return List.of(table());
  }
}
