package dev.lancet.spark.catalog;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.CatalogManager;
import org.apache.spark.sql.connector.catalog.CatalogPlugin;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.lance.spark.LanceDataset;

/**
 * Resolves a table name as Spark does (a leading registered catalog name, else the current catalog;
 * a bare name in the current namespace) and checks it is a Lance table.
 */
public final class TableNameResolver {
  private TableNameResolver() {}

  public static ResolvedLanceTable resolve(SparkSession spark, List<String> nameParts) {
    // The current catalog falls back to spark.sql.defaultCatalog of the thread's active session
    // (SQLConf.get): a thread of the user's own (a PySpark thread, an executor pool) has none, and
    // would resolve bare names in spark_catalog. Resolve with this session active, as Spark's API
    // does.
    scala.Option<SparkSession> previous = SparkSession.getActiveSession();
    SparkSession.setActiveSession(spark);
    try {
      return resolveActive(spark, nameParts);
    } finally {
      if (previous.isDefined()) {
        SparkSession.setActiveSession(previous.get());
      } else {
        SparkSession.clearActiveSession();
      }
    }
  }

  private static ResolvedLanceTable resolveActive(SparkSession spark, List<String> nameParts) {
    CatalogManager manager = spark.sessionState().catalogManager();
    String written = String.join(".", nameParts);
    CatalogPlugin plugin;
    List<String> rest;
    boolean catalogNamed = nameParts.size() > 1 && manager.isCatalogRegistered(nameParts.get(0));
    if (catalogNamed) {
      plugin = manager.catalog(nameParts.get(0));
      rest = nameParts.subList(1, nameParts.size());
    } else {
      plugin = manager.currentCatalog();
      rest = nameParts;
    }
    if (!(plugin instanceof TableCatalog catalog)) {
      throw new LancetException(
          ErrorCode.LANCET_TABLE_NOT_FOUND,
          "catalog '" + plugin.name() + "' of table '" + written + "' does not hold tables");
    }
    // As Spark does: `cat.t` is t in cat's root namespace; only a bare `t` takes the current one.
    String[] namespace =
        rest.size() == 1 && !catalogNamed
            ? manager.currentNamespace()
            : rest.subList(0, rest.size() - 1).toArray(String[]::new);
    Identifier identifier = Identifier.of(namespace, rest.get(rest.size() - 1));
    Table table;
    try {
      table = catalog.loadTable(identifier);
    } catch (Exception e) {
      throw new LancetException(
          ErrorCode.LANCET_TABLE_NOT_FOUND,
          "table '"
              + written
              + "' not found (looked for "
              + catalog.name()
              + "."
              + String.join(".", Arrays.asList(namespace))
              + "."
              + identifier.name()
              + ")");
    }
    if (!(table instanceof LanceDataset lance)) {
      throw new LancetException(
          ErrorCode.LANCET_NOT_A_LANCE_TABLE,
          "table '"
              + written
              + "' is not a Lance table (it is "
              + table.getClass().getSimpleName()
              + "); virtual columns live on Lance tables");
    }
    return ResolvedLanceTable.of(catalog, identifier, lance);
  }
}
