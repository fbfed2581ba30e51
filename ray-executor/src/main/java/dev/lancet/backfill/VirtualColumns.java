package dev.lancet.backfill;

import dev.lancet.backfill.internal.LanceDatasets;
import dev.lancet.udf.UdfSpec;
import dev.lancet.udf.types.TypeStrings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;

/**
 * Virtual columns of a Lance table: columns whose values a UDF computes. Each one's
 * {@link UdfSpec} is stored as JSON in the Lance field metadata, so any later process can
 * backfill it without the session that registered it.
 */
public final class VirtualColumns {
  private VirtualColumns() {}

  /**
   * Adds {@code name} as an all-null column of the spec's output type, carrying the spec. Fails,
   * changing nothing, if the column exists or an input column is missing.
   */
  public static void add(String datasetUri, Map<String, String> storageOptions, String name, UdfSpec spec) {
    try (Dataset dataset = LanceDatasets.open(datasetUri, storageOptions)) {
      Schema schema = dataset.getSchema();
      if (findField(schema, name).isPresent()) {
        throw new BackfillException("column '" + name + "' already exists in " + datasetUri);
      }
      for (String input : spec.inputs()) {
        if (findField(schema, input).isEmpty()) {
          throw new BackfillException("UDF " + spec.className() + " needs input column '" + input
              + "', which is not in the table; its columns are " + columnNames(schema));
        }
      }
      Field field = new Field(name,
          new FieldType(true, TypeStrings.parse(spec.outputType()), null, Map.of(UdfSpec.METADATA_KEY, spec.toJson())),
          null);
      dataset.addColumns(List.of(field));
    }
  }

  /** The virtual columns of a table, by name, in schema order. */
  public static Map<String, UdfSpec> list(String datasetUri, Map<String, String> storageOptions) {
    try (Dataset dataset = LanceDatasets.open(datasetUri, storageOptions)) {
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

  static List<String> columnNames(Schema schema) {
    return schema.getFields().stream().map(Field::getName).toList();
  }
}
