package dev.lancet.spark.catalog;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.CatalogManager;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.TableCatalog;

/** The Lance tables a statement names: one table, or every Lance table of the current namespace. */
public final class StatementTables {
  private StatementTables() {}

  /**
   * {@code table} resolved, or (when empty) every Lance table of the current catalog and namespace.
   */
  public static List<ResolvedLanceTable> named(
      SparkSession spark, List<String> table, String statement) {
    if (!table.isEmpty()) {
      return List.of(TableNameResolver.resolve(spark, table));
    }
    CatalogManager manager = spark.sessionState().catalogManager();
    if (!(manager.currentCatalog() instanceof TableCatalog catalog)) {
      throw new LancetException(
          ErrorCode.LANCET_TABLE_NOT_FOUND,
          "the current catalog holds no tables; name one: " + statement + " IN t");
    }
    List<ResolvedLanceTable> tables = new ArrayList<>();
    try {
      for (Identifier id : catalog.listTables(manager.currentNamespace())) {
        List<String> name = new ArrayList<>(List.of(catalog.name()));
        name.addAll(Arrays.asList(id.namespace()));
        name.add(id.name());
        try {
          tables.add(TableNameResolver.resolve(spark, name));
        } catch (LancetException notLance) {
          // only Lance tables have backfill jobs
        }
      }
    } catch (Exception e) {
      throw new LancetException(
          ErrorCode.LANCET_TABLE_NOT_FOUND,
          e,
          "cannot list the tables of the current namespace: " + e.getMessage());
    }
    return tables;
  }
}
