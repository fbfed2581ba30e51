package dev.lancet.spark.ops;

import dev.lancet.backfill.PinnedCode;
import dev.lancet.backfill.VirtualColumns;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.expressions.SqlExpression;
import dev.lancet.udf.ColumnUdfs;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfRegistration;
import dev.lancet.udf.UdfSpec;
import dev.lancet.udf.types.TypeStrings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers virtual columns: inspects each UDF under its registration, then adds all columns in one
 * Lance commit, so a bad column leaves the table unchanged. Shared by SQL and the Java API.
 */
public final class VirtualColumnRegistrar {
  private VirtualColumnRegistrar() {}

  /**
   * Gives an existing virtual column a new UDF definition (its type stays); the next backfill
   * recomputes.
   */
  public static void replace(ResolvedLanceTable table, VirtualColumnDef def, LancetConf conf) {
    String lead;
    UdfSpec old;
    boolean siblings;
    try (org.lance.Dataset dataset =
        LanceDatasets.open(new TableLocation(table.datasetUri(), table.storageOptions()))) {
      org.apache.arrow.vector.types.pojo.Schema schema = dataset.getSchema();
      lead = VirtualColumns.leadOf(schema, def.name());
      old = VirtualColumns.list(schema).get(lead);
      siblings = VirtualColumns.siblings(schema).containsKey(lead);
    }
    if (old == null) {
      throw new LancetException(
          ErrorCode.LANCET_COLUMN_NOT_VIRTUAL,
          "column '" + def.name() + "' of " + table.displayName() + " is not a virtual column");
    }
    VirtualColumnDef resolved = resolveExpression(table, def, old.outputType(), conf);
    // Siblings take the new UDF's record (or declared struct) as it is, its fields by position.
    UdfRegistration registration =
        UdfRegistration.of(
            resolved.inputs().isEmpty() ? null : resolved.inputs(),
            siblings ? resolved.declaredType() : old.outputType(),
            resolved.options());
    conf.classPolicy().check(resolved.udfClass());
    UdfSpec spec = pinnedSpec(table, resolved, registration, conf);
    try {
      VirtualColumns.replace(
          table.datasetUri(), table.storageOptions(), def.name(), spec, conf.udfClassLoader());
    } finally {
      table.invalidate();
    }
  }

  /** Adds the columns; returns their names in order. */
  public static List<String> add(
      ResolvedLanceTable table, List<VirtualColumnDef> columns, LancetConf conf) {
    List<VirtualColumnDef> resolved = new java.util.ArrayList<>();
    for (VirtualColumnDef def : columns) {
      conf.classPolicy().check(def.udfClass()); // before any class is loaded
      resolved.add(resolveExpression(table, def, null, conf));
    }
    List<VirtualColumns.Definition> definitions = new java.util.ArrayList<>();
    List<String> added = new java.util.ArrayList<>();
    for (VirtualColumnDef def : resolved) {
      UdfRegistration registration =
          UdfRegistration.of(
              def.inputs().isEmpty() ? null : def.inputs(), def.declaredType(), def.options());
      UdfSpec spec = pinnedSpec(table, def, registration, conf);
      definitions.add(
          def.siblings().isEmpty()
              ? VirtualColumns.Definition.of(def.name(), spec)
              : VirtualColumns.Definition.siblings(def.siblings(), spec));
      added.addAll(def.columns());
    }
    try {
      VirtualColumns.add(
          new TableLocation(table.datasetUri(), table.storageOptions()),
          definitions,
          conf.udfClassLoader(),
          table.displayName());
    } finally {
      table.invalidate();
    }
    return List.copyOf(added);
  }

  /**
   * A SQL-expression column with what its expression resolves to against the table's columns, under
   * the session's SQL settings: its inputs, type, and the settings recorded as options; any other
   * column as it is.
   *
   * @param columnType the type of the column a new expression replaces, or null for a new column
   *     (whose declared type, if any, the expression must have)
   */
  private static VirtualColumnDef resolveExpression(
      ResolvedLanceTable table, VirtualColumnDef def, String columnType, LancetConf conf) {
    if (!def.isExpression()) {
      return def;
    }
    String text = def.options().get("expression");
    org.apache.spark.sql.types.StructType columns;
    try {
      columns = table.catalog().loadTable(table.identifier()).schema();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new LancetException(
          ErrorCode.LANCET_TABLE_NOT_FOUND, "table " + table.displayName() + " does not exist");
    }
    Map<String, String> settings = SqlExpression.settingsOf(conf.spark().sessionState().conf());
    SqlExpression expression = SqlExpression.resolve(def.name(), text, columns, settings);
    String type = expression.typeString();
    String required =
        columnType != null
            ? columnType
            : def.declaredType() == null ? null : TypeStrings.canonical(def.declaredType());
    if (required != null && !required.equals(type)) {
      throw new LancetException(
          ErrorCode.LANCET_INVALID_TYPE,
          "column '"
              + def.name()
              + (columnType != null ? "' is " : "' is declared ")
              + required
              + " but the expression '"
              + text
              + "' is "
              + type
              + "; write CAST(... AS "
              + required
              + (columnType != null ? ")" : ") or leave the type out"));
    }
    Map<String, String> options = new LinkedHashMap<>();
    options.put("expression", text);
    options.put("column", def.name());
    options.putAll(SqlExpression.optionsOf(settings));
    return new VirtualColumnDef(
        def.name(), type, def.udfClass(), expression.inputs(), options, List.of());
  }

  /**
   * The column's spec with its code pinned: the session's jars published to the table's jar store
   * and recorded, the UDF inspected and constructed in their class loader (so a constructor that
   * fails, fails the statement, and a library the UDF brings is the one it runs with).
   */
  private static UdfSpec pinnedSpec(
      ResolvedLanceTable table,
      VirtualColumnDef def,
      UdfRegistration registration,
      LancetConf conf) {
    TableLocation location = new TableLocation(table.datasetUri(), table.storageOptions());
    PinnedCode.Pinned code =
        def.jars().isEmpty()
            ? PinnedCode.pin(location, def.udfClass(), conf.udfClassLoader(), conf.classPolicy())
            : PinnedCode.pin(
                location,
                def.udfClass(),
                def.jars().stream().map(j -> java.nio.file.Path.of(j).toAbsolutePath()).toList(),
                conf.udfClassLoader(),
                conf.classPolicy());
    UdfSpec spec =
        UdfInspector.inspect(def.udfClass(), code.loader(), registration).withJars(code.jars());
    ColumnUdfs.checkConstructs(spec, code.loader());
    return spec;
  }
}
