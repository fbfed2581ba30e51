package dev.lancet.backfill;

import dev.lancet.backfill.plan.ColumnRows;
import dev.lancet.lance.Allocators;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.CodeIdentity;
import dev.lancet.udf.ColumnUdfs;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.PinnedJar;
import dev.lancet.udf.UdfKind;
import dev.lancet.udf.UdfSpec;
import dev.lancet.udf.types.LancetType;
import dev.lancet.udf.types.TypeStrings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.operation.UpdateConfig;
import org.lance.operation.UpdateMap;

/**
 * Virtual columns of a Lance table: columns whose values a UDF computes. Each one's {@link UdfSpec}
 * is stored as JSON in the Lance field metadata, so any later process can backfill it without the
 * session that registered it.
 */
public final class VirtualColumns {
  private VirtualColumns() {}

  /**
   * Adds each column as an all-null column of its spec's output type, carrying the spec, in one
   * commit. Fails, changing nothing, if a column exists or an input column is missing or has a type
   * its UDF parameter cannot take.
   */
  public static void add(
      String datasetUri, Map<String, String> storageOptions, Map<String, UdfSpec> columns) {
    add(new TableLocation(datasetUri, storageOptions), columns);
  }

  /** {@link #add(String, Map, Map)} to the table at {@code table}. */
  public static void add(TableLocation table, Map<String, UdfSpec> columns) {
    add(table, columns, Thread.currentThread().getContextClassLoader(), table.uri());
  }

  /**
   * {@link #add(String, Map, Map)}, loading UDF classes from {@code loader} and naming the table
   * {@code tableName} in errors.
   */
  public static void add(
      String datasetUri,
      Map<String, String> storageOptions,
      Map<String, UdfSpec> columns,
      ClassLoader loader,
      String tableName) {
    add(new TableLocation(datasetUri, storageOptions), columns, loader, tableName);
  }

  /** {@link #add(String, Map, Map, ClassLoader, String)} to the table at {@code table}. */
  public static void add(
      TableLocation table, Map<String, UdfSpec> columns, ClassLoader loader, String tableName) {
    try (Dataset dataset = LanceDatasets.open(table)) {
      Schema schema = dataset.getSchema();
      List<Field> fields = new ArrayList<>();
      for (Map.Entry<String, UdfSpec> column : columns.entrySet()) {
        String name = column.getKey();
        UdfSpec spec = column.getValue();
        if (findField(schema, name).isPresent()) {
          throw new BackfillException(
              ErrorCode.LANCET_COLUMN_ALREADY_EXISTS,
              "column '" + name + "' already exists in " + tableName);
        }
        if (spec.kind() == UdfKind.RECORD_BATCH && spec.inputs().isEmpty()) {
          // "Every column" means the columns the table has now, so the spec stays deterministic.
          spec = spec.withInputs(schema.getFields().stream().map(Field::getName).toList());
        }
        ColumnUdfs.checkInputs(spec, schema, PinnedCode.loaderOf(table, spec, loader));
        LancetType type = TypeStrings.parse(spec.outputType());
        if (type.containsMap()) {
          throw new BackfillException(
              ErrorCode.LANCET_UNSUPPORTED,
              "column '"
                  + name
                  + "': a "
                  + type
                  + " column cannot be added as a virtual column on this Lance version (lance-core"
                  + " 4.0.0 requires map keys to be non-nullable and every field of a column added"
                  + " without data to be nullable); return a List of records, e.g."
                  + " array<struct<key:string,value:...>>");
        }
        Field shape = type.toField(name, true);
        fields.add(
            new Field(
                name,
                new FieldType(
                    true, shape.getType(), null, Map.of(UdfSpec.METADATA_KEY, spec.toJson())),
                shape.getChildren()));
      }
      dataset.addColumns(fields);
    }
  }

  /**
   * Gives an existing virtual column a new definition (a new UDF version): the next backfill
   * recomputes it. The output type must stay the same.
   */
  public static void replace(
      String datasetUri, Map<String, String> storageOptions, String name, UdfSpec spec) {
    replace(new TableLocation(datasetUri, storageOptions), name, spec);
  }

  /** {@link #replace(String, Map, String, UdfSpec)} in the table at {@code table}. */
  public static void replace(TableLocation table, String name, UdfSpec spec) {
    replace(table, name, spec, Thread.currentThread().getContextClassLoader());
  }

  /** {@link #replace(String, Map, String, UdfSpec)}, loading the UDF class from {@code loader}. */
  public static void replace(
      String datasetUri,
      Map<String, String> storageOptions,
      String name,
      UdfSpec spec,
      ClassLoader loader) {
    replace(new TableLocation(datasetUri, storageOptions), name, spec, loader);
  }

  /** {@link #replace(String, Map, String, UdfSpec, ClassLoader)} in the table at {@code table}. */
  public static void replace(TableLocation table, String name, UdfSpec spec, ClassLoader loader) {
    String datasetUri = table.uri();
    try (Dataset dataset = LanceDatasets.open(table)) {
      Schema schema = dataset.getSchema();
      UdfSpec old = list(schema).get(name);
      if (old == null) {
        throw new BackfillException(
            ErrorCode.LANCET_COLUMN_NOT_VIRTUAL,
            "column '" + name + "' of " + datasetUri + " is not a virtual column");
      }
      if (!TypeStrings.canonical(old.outputType())
          .equals(TypeStrings.canonical(spec.outputType()))) {
        throw new BackfillException(
            ErrorCode.LANCET_INVALID_TYPE,
            "column '"
                + name
                + "' is "
                + old.outputType()
                + " but UDF "
                + spec.className()
                + " returns "
                + spec.outputType()
                + "; drop the column and add it again to change its type");
      }
      ColumnUdfs.checkInputs(spec, schema, PinnedCode.loaderOf(table, spec, loader));
      int fieldId =
          dataset.getLanceSchema().fields().stream()
              .filter(f -> f.getName().equals(name))
              .findFirst()
              .orElseThrow()
              .getId();
      UpdateConfig update =
          UpdateConfig.builder()
              .fieldMetadataUpdates(
                  Map.of(
                      fieldId,
                      UpdateMap.builder()
                          .updates(Map.of(UdfSpec.METADATA_KEY, spec.toJson()))
                          .replace(false)
                          .build()))
              .build();
      dataset
          .newTransactionBuilder()
          .readVersion(dataset.version())
          .operation(update)
          .build()
          .commit()
          .close();
    }
  }

  /** Adds one virtual column; see {@link #add(String, Map, Map)}. */
  public static void add(
      String datasetUri, Map<String, String> storageOptions, String name, UdfSpec spec) {
    add(new TableLocation(datasetUri, storageOptions), name, spec);
  }

  /** {@link #add(String, Map, String, UdfSpec)} to the table at {@code table}. */
  public static void add(TableLocation table, String name, UdfSpec spec) {
    add(table, Map.of(name, spec));
  }

  /**
   * A virtual column and how much of it is current.
   *
   * @param name the column
   * @param spec its definition, as registered
   * @param version the UDF version a backfill would compute it under now: the registered spec with
   *     the code the session would run (a rebuilt jar is a new version)
   * @param code that code's identity, for people ({@link CodeIdentity#describe}), and what changed
   *     since the column was registered
   * @param freshness the live rows by state: current for {@code version} (computed by it, a null
   *     result included, from the inputs the row has now), stale because an input changed or the
   *     version did, failed, or never computed; the rows not current are exactly those the next
   *     backfill without a filter computes
   * @param rows live rows of the table
   */
  public record Status(
      String name, UdfSpec spec, String version, String code, RowFreshness freshness, long rows) {
    /** Live rows whose value is current for {@code version}. */
    public long rowsCurrent() {
      return freshness.current();
    }

    /** rowsCurrent / rows (1 for an empty table). */
    public double materialized() {
      return rows == 0 ? 1.0 : (double) rowsCurrent() / rows;
    }
  }

  /**
   * Every virtual column with how much of it is current, judged as a backfill would judge it (and
   * read-only: nothing is recorded). The code is read from {@code loader}'s class files without
   * loading a UDF class; a class it lacks is judged by its registered code.
   */
  public static List<Status> status(
      String datasetUri, Map<String, String> storageOptions, ClassLoader loader) {
    return status(new TableLocation(datasetUri, storageOptions), loader);
  }

  /** {@link #status(String, Map, ClassLoader)} of the table at {@code table}. */
  public static List<Status> status(TableLocation table, ClassLoader loader) {
    try (BufferAllocator allocator = Allocators.child("lancet-status");
        Dataset dataset = LanceDatasets.open(allocator, table, null)) {
      long rows = dataset.countRows();
      List<Status> out = new ArrayList<>();
      for (Map.Entry<String, UdfSpec> e : list(dataset.getSchema()).entrySet()) {
        UdfSpec registered = e.getValue();
        // Pinned code is the registered code, whatever this session holds.
        boolean pinned = !registered.jars().isEmpty();
        Optional<String> now =
            pinned
                ? Optional.of(registered.codeHash())
                : CodeIdentity.ofResource(registered.className(), loader);
        UdfSpec spec = registered.withCodeHash(now.orElse(registered.codeHash()));
        String changes = now.map(n -> CodeIdentity.changes(registered.codeHash(), n)).orElse("");
        String code =
            now.isEmpty()
                ? CodeIdentity.describe(registered.codeHash())
                    + " (as registered: the class is not in this session's jars)"
                : pinned
                    ? CodeIdentity.describe(now.get())
                        + "; pinned: "
                        + String.join(
                            ", ", registered.jars().stream().map(PinnedJar::describe).toList())
                    : CodeIdentity.describe(now.get())
                        + (changes.isEmpty()
                            ? ""
                            : "; changed since it was registered: " + changes);
        RowFreshness freshness =
            rows == 0
                ? RowFreshness.NONE
                : ColumnRows.count(dataset, table, e.getKey(), spec, allocator);
        out.add(new Status(e.getKey(), registered, spec.version(), code, freshness, rows));
      }
      return out;
    }
  }

  /** The virtual columns of a table, by name, in schema order. */
  public static Map<String, UdfSpec> list(String datasetUri, Map<String, String> storageOptions) {
    return list(new TableLocation(datasetUri, storageOptions));
  }

  /** {@link #list(String, Map)} of the table at {@code table}. */
  public static Map<String, UdfSpec> list(TableLocation table) {
    try (Dataset dataset = LanceDatasets.open(table)) {
      return list(dataset.getSchema());
    }
  }

  /** The virtual columns of a schema, by name, in schema order. */
  public static Map<String, UdfSpec> list(Schema schema) {
    Map<String, UdfSpec> specs = new LinkedHashMap<>();
    for (Field f : schema.getFields()) {
      String json = f.getMetadata() == null ? null : f.getMetadata().get(UdfSpec.METADATA_KEY);
      if (json != null) {
        specs.put(f.getName(), UdfSpec.fromJson(json));
      }
    }
    return specs;
  }

  static Optional<Field> findField(Schema schema, String name) {
    return schema.getFields().stream().filter(f -> f.getName().equals(name)).findFirst();
  }
}
