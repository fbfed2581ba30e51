package dev.lancet.spark.ops;

import dev.lancet.backfill.VirtualColumns;
import dev.lancet.spark.catalog.ResolvedLanceTable;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.udf.ColumnUdfs;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfRegistration;
import dev.lancet.udf.UdfSpec;
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
    UdfSpec old = VirtualColumns.list(table.datasetUri(), table.storageOptions()).get(def.name());
    if (old == null) {
      throw new LancetException(
          ErrorCode.LANCET_COLUMN_NOT_VIRTUAL,
          "column '" + def.name() + "' of " + table.displayName() + " is not a virtual column");
    }
    UdfRegistration registration =
        UdfRegistration.of(
            def.inputs().isEmpty() ? null : def.inputs(), old.outputType(), def.options());
    conf.classPolicy().check(def.udfClass());
    UdfSpec spec = UdfInspector.inspect(def.udfClass(), conf.udfClassLoader(), registration);
    ColumnUdfs.checkConstructs(spec, conf.udfClassLoader());
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
    for (VirtualColumnDef def : columns) {
      conf.classPolicy().check(def.udfClass()); // before any class is loaded
    }
    Map<String, UdfSpec> specs = new LinkedHashMap<>();
    for (VirtualColumnDef def : columns) {
      UdfRegistration registration =
          UdfRegistration.of(
              def.inputs().isEmpty() ? null : def.inputs(), def.declaredType(), def.options());
      UdfSpec spec = UdfInspector.inspect(def.udfClass(), conf.udfClassLoader(), registration);
      if (specs.put(def.name(), spec) != null) {
        throw new LancetException(
            ErrorCode.LANCET_COLUMN_ALREADY_EXISTS,
            "column '" + def.name() + "' is added twice in one statement");
      }
      ColumnUdfs.checkConstructs(
          spec, conf.udfClassLoader()); // its constructor fails here, not later
    }
    try {
      VirtualColumns.add(
          table.datasetUri(),
          table.storageOptions(),
          specs,
          conf.udfClassLoader(),
          table.displayName());
    } finally {
      table.invalidate();
    }
    return List.copyOf(specs.keySet());
  }
}
