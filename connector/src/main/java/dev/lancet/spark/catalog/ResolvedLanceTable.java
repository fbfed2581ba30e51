package dev.lancet.spark.catalog;

import java.util.Map;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.lance.spark.LanceDataset;

/**
 * A Lance table resolved through a Spark catalog: where its dataset is, and how to tell Spark it
 * changed.
 *
 * @param catalog the catalog holding it
 * @param identifier its identifier in that catalog
 * @param datasetUri the Lance dataset URI
 * @param storageOptions Lance storage options of the catalog
 */
public record ResolvedLanceTable(
    TableCatalog catalog,
    Identifier identifier,
    String datasetUri,
    Map<String, String> storageOptions) {
  /** The Lance table behind a table Spark resolved. */
  public static ResolvedLanceTable of(
      TableCatalog catalog, Identifier identifier, LanceDataset lance) {
    Map<String, String> storage = lance.readOptions().getStorageOptions();
    return new ResolvedLanceTable(
        catalog,
        identifier,
        lance.readOptions().getDatasetUri(),
        storage == null ? Map.of() : storage);
  }

  /** The name as users write it: catalog.namespace.table. */
  public String displayName() {
    return catalog.name()
        + "."
        + String.join(".", identifier.namespace())
        + "."
        + identifier.name();
  }

  /** Drops cached metadata so the next query sees the new schema and data. */
  public void invalidate() {
    catalog.invalidateTable(identifier);
  }
}
