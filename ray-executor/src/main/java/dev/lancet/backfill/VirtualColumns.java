package dev.lancet.backfill;

import dev.lancet.backfill.plan.ColumnRows;
import dev.lancet.lance.Allocators;
import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.StoredColumn;
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
    List<Definition> definitions = new ArrayList<>();
    columns.forEach((name, spec) -> definitions.add(Definition.of(name, spec)));
    add(table, definitions, loader, tableName);
  }

  /**
   * What one UDF of an {@code add} registers: one column, or sibling columns that store the fields
   * of the UDF's struct output as top-level columns (one UDF call per row computes them all).
   *
   * @param names the column, or the siblings in the order of the struct's fields
   * @param spec the UDF's definition
   * @param siblings whether {@code names} are sibling columns
   */
  public record Definition(List<String> names, UdfSpec spec, boolean siblings) {
    public Definition {
      names = List.copyOf(names);
      if (names.isEmpty() || (!siblings && names.size() != 1)) {
        throw new IllegalArgumentException("a virtual column definition names one column");
      }
    }

    /** One column computed by {@code spec}. */
    public static Definition of(String name, UdfSpec spec) {
      return new Definition(List.of(name), spec, false);
    }

    /** Sibling columns {@code names}, the fields of {@code spec}'s struct output in order. */
    public static Definition siblings(List<String> names, UdfSpec spec) {
      return new Definition(names, spec, true);
    }

    /** The column the engine computes: the column, or the siblings' lead (the first). */
    public String lead() {
      return names.get(0);
    }
  }

  /**
   * Adds each definition's columns as all-null columns, the spec on the column (a sibling group's
   * lead), in one commit. Fails, changing nothing, if a column exists or an input column is missing
   * or has a type its UDF parameter cannot take, or a sibling group's UDF does not return a struct
   * of as many fields as it names.
   */
  public static void add(
      TableLocation table, List<Definition> definitions, ClassLoader loader, String tableName) {
    try (Dataset dataset = LanceDatasets.open(table)) {
      Schema schema = dataset.getSchema();
      List<Field> fields = new ArrayList<>();
      java.util.Set<String> named = new java.util.HashSet<>();
      for (Definition definition : definitions) {
        String name = definition.lead();
        UdfSpec spec = definition.spec();
        for (String n : definition.names()) {
          if (findField(schema, n).isPresent()) {
            throw new BackfillException(
                ErrorCode.LANCET_COLUMN_ALREADY_EXISTS,
                "column '" + n + "' already exists in " + tableName);
          }
          if (!named.add(n)) {
            throw new BackfillException(
                ErrorCode.LANCET_COLUMN_ALREADY_EXISTS,
                "column '" + n + "' is added twice in one statement");
          }
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
        if (definition.siblings()) {
          // The spec keeps the UDF's own type (a batched UDF's vector is checked against it);
          // the columns take the siblings' names.
          type = siblingType(definition.names(), type, spec.className());
          List<LancetType.StructOf.Member> members = ((LancetType.StructOf) type).members();
          for (int i = 0; i < members.size(); i++) {
            Field shape = members.get(i).type().toField(members.get(i).name(), true);
            Map<String, String> meta =
                i == 0
                    ? Map.of(
                        UdfSpec.METADATA_KEY,
                        spec.toJson(),
                        UdfSpec.SIBLINGS_KEY,
                        StoredColumn.writeNames(definition.names()))
                    : Map.of(UdfSpec.SIBLING_OF_KEY, name);
            fields.add(
                new Field(
                    shape.getName(),
                    new FieldType(true, shape.getType(), null, meta),
                    shape.getChildren()));
          }
          continue;
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
      String lead = leadOf(schema, name);
      UdfSpec old = list(schema).get(lead);
      if (old == null) {
        throw new BackfillException(
            ErrorCode.LANCET_COLUMN_NOT_VIRTUAL,
            "column '" + name + "' of " + datasetUri + " is not a virtual column");
      }
      List<String> group = siblings(schema).get(lead);
      // Siblings compare as stored: the new record's fields, named as the siblings, position by
      // position (the UDFs' own field names may differ).
      String oldType =
          group == null
              ? old.outputType()
              : siblingType(group, TypeStrings.parse(old.outputType()), old.className()).toString();
      String newType =
          group == null
              ? spec.outputType()
              : siblingType(group, TypeStrings.parse(spec.outputType()), spec.className())
                  .toString();
      if (!TypeStrings.canonical(oldType).equals(TypeStrings.canonical(newType))) {
        throw new BackfillException(
            ErrorCode.LANCET_INVALID_TYPE,
            (group == null ? "column '" + name + "'" : "sibling columns " + group)
                + " is "
                + oldType
                + " but UDF "
                + spec.className()
                + " returns "
                + newType
                + "; drop the column and add it again to change its type");
      }
      ColumnUdfs.checkInputs(spec, schema, PinnedCode.loaderOf(table, spec, loader));
      int fieldId =
          dataset.getLanceSchema().fields().stream()
              .filter(f -> f.getName().equals(lead))
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
   * @param siblings the column's sibling group (the lead first), which shares its UDF, version and
   *     freshness; empty for a column of its own
   */
  public record Status(
      String name,
      UdfSpec spec,
      String version,
      String code,
      RowFreshness freshness,
      long rows,
      List<String> siblings) {
    public Status {
      siblings = List.copyOf(siblings);
    }

    /** The column's own type: the spec's output type, or a sibling's field of it. */
    public String type() {
      if (siblings.isEmpty()) {
        return spec.outputType();
      }
      LancetType.StructOf struct = (LancetType.StructOf) TypeStrings.parse(spec.outputType());
      return struct.members().get(siblings.indexOf(name)).type().toString();
    }

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
   * Every virtual column (each sibling of a group, in the group's order) with how much of it is
   * current, judged as a backfill would judge it (and read-only: nothing is recorded). The code is
   * read from {@code loader}'s class files without loading a UDF class; a class it lacks is judged
   * by its registered code.
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
      Map<String, List<String>> groups = siblings(dataset.getSchema());
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
        List<String> group = groups.getOrDefault(e.getKey(), List.of());
        for (String name : group.isEmpty() ? List.of(e.getKey()) : group) {
          out.add(new Status(name, registered, spec.version(), code, freshness, rows, group));
        }
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

  /**
   * The UDF's struct output type with its fields named {@code names}, in order: the columns sibling
   * columns store; fails when it is not a struct of that many fields.
   */
  private static LancetType siblingType(List<String> names, LancetType type, String className) {
    if (!(type instanceof LancetType.StructOf struct) || struct.members().size() != names.size()) {
      throw new BackfillException(
          ErrorCode.LANCET_INVALID_TYPE,
          "sibling columns ("
              + String.join(", ", names)
              + ") need a UDF that returns a record (struct) of "
              + names.size()
              + " fields, one per column, but "
              + className
              + " returns "
              + type);
    }
    List<LancetType.StructOf.Member> members = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      members.add(new LancetType.StructOf.Member(names.get(i), struct.members().get(i).type()));
    }
    return new LancetType.StructOf(members);
  }

  /**
   * The sibling groups of a schema: each group's lead (the column a backfill computes, carrying the
   * spec) with its siblings' names, the lead first, in schema order.
   */
  public static Map<String, List<String>> siblings(Schema schema) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Field f : schema.getFields()) {
      List<String> names = StoredColumn.siblingsOf(f);
      if (names != null) {
        out.put(f.getName(), names);
      }
    }
    return out;
  }

  /** {@link #siblings(Schema)} of the table at {@code table}. */
  public static Map<String, List<String>> siblings(TableLocation table) {
    try (Dataset dataset = LanceDatasets.open(table)) {
      return siblings(dataset.getSchema());
    }
  }

  /**
   * The column a backfill of {@code name} computes: the lead of its sibling group, or {@code name}
   * itself.
   */
  public static String leadOf(Schema schema, String name) {
    Optional<Field> field = findField(schema, name);
    String lead = field.map(StoredColumn::leadOf).orElse(null);
    return lead == null ? name : lead;
  }

  /** {@link #leadOf(Schema, String)} in the table at {@code table}. */
  public static String leadOf(TableLocation table, String name) {
    try (Dataset dataset = LanceDatasets.open(table)) {
      return leadOf(dataset.getSchema(), name);
    }
  }

  static Optional<Field> findField(Schema schema, String name) {
    return schema.getFields().stream().filter(f -> f.getName().equals(name)).findFirst();
  }
}
