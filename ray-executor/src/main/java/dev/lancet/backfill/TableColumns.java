package dev.lancet.backfill;

import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.ErrorCode;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.lance.Dataset;

/** Plain (non-virtual) schema changes of a Lance table, without rewriting its data. */
public final class TableColumns {
  private TableColumns() {}

  /** Adds all-null, nullable columns in one commit. */
  public static void add(
      String datasetUri, Map<String, String> storageOptions, List<Field> fields) {
    add(new TableLocation(datasetUri, storageOptions), fields);
  }

  /** {@link #add(String, Map, List)} to the table at {@code table}. */
  public static void add(TableLocation table, List<Field> fields) {
    String datasetUri = table.uri();
    try (Dataset dataset = LanceDatasets.open(table)) {
      dataset.addColumns(fields);
    } catch (BackfillException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BackfillException(
          "adding columns to " + datasetUri + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Drops columns (virtual ones included) in one commit; sibling columns go only as a whole group.
   */
  public static void drop(
      String datasetUri, Map<String, String> storageOptions, List<String> names) {
    drop(new TableLocation(datasetUri, storageOptions), names);
  }

  /** {@link #drop(String, Map, List)} of the table at {@code table}. */
  public static void drop(TableLocation table, List<String> names) {
    String datasetUri = table.uri();
    try (Dataset dataset = LanceDatasets.open(table)) {
      for (List<String> group : VirtualColumns.siblings(dataset.getSchema()).values()) {
        // One UDF computes the group into one file: it goes whole or stays whole.
        if (group.stream().anyMatch(names::contains) && !names.containsAll(group)) {
          throw new BackfillException(
              ErrorCode.LANCET_UNSUPPORTED,
              "columns "
                  + group.stream().filter(names::contains).toList()
                  + " of "
                  + datasetUri
                  + " are sibling columns that one UDF computes together with "
                  + group.stream().filter(n -> !names.contains(n)).toList()
                  + "; drop them all at once: ALTER TABLE ... DROP COLUMNS ("
                  + String.join(", ", group)
                  + ")");
        }
      }
      dataset.dropColumns(names);
    } catch (BackfillException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BackfillException(
          "dropping columns " + names + " of " + datasetUri + " failed: " + e.getMessage(), e);
    }
  }
}
