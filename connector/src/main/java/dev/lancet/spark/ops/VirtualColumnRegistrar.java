package dev.lancet.spark.ops;

import dev.lancet.backfill.PinnedCode;
import dev.lancet.backfill.VirtualColumns;
import dev.lancet.lance.TableLocation;
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
    UdfSpec spec = pinnedSpec(table, def, registration, conf);
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
      UdfSpec spec = pinnedSpec(table, def, registration, conf);
      if (specs.put(def.name(), spec) != null) {
        throw new LancetException(
            ErrorCode.LANCET_COLUMN_ALREADY_EXISTS,
            "column '" + def.name() + "' is added twice in one statement");
      }
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
