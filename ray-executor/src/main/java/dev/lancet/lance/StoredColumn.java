package dev.lancet.lance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lancet.udf.UdfSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.lance.Dataset;
import org.lance.schema.LanceField;

/**
 * The top-level fields that store a virtual column's values. Usually the column itself; for sibling
 * columns (one UDF whose struct output the table stores as several top-level columns, {@code ADD
 * COLUMNS (w, h, fmt) USING UDF}) every sibling, the lead first. The engine computes a sibling
 * group as one column named after its lead, whose values are a struct, and writes the struct's
 * fields as the siblings' columns of one file.
 *
 * @param column the column the engine computes (a group's lead)
 * @param names the top-level fields storing it, in order: the column alone, or the siblings
 * @param siblings whether the column is a sibling group
 */
public record StoredColumn(String column, List<String> names, boolean siblings) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public StoredColumn {
    names = List.copyOf(names);
  }

  /** How {@code column} is stored in a table of schema {@code schema}. */
  public static StoredColumn of(Schema schema, String column) {
    for (Field f : schema.getFields()) {
      if (f.getName().equals(column)) {
        List<String> siblings = siblingsOf(f);
        return siblings == null
            ? new StoredColumn(column, List.of(column), false)
            : new StoredColumn(column, siblings, true);
      }
    }
    return new StoredColumn(column, List.of(column), false);
  }

  /** How {@code column} is stored in {@code dataset}. */
  public static StoredColumn of(Dataset dataset, String column) {
    return of(dataset.getSchema(), column);
  }

  /** The sibling names a lead's field metadata records, or null when it is no lead. */
  public static List<String> siblingsOf(Field field) {
    Map<String, String> meta = field.getMetadata();
    String json = meta == null ? null : meta.get(UdfSpec.SIBLINGS_KEY);
    return json == null ? null : readNames(json);
  }

  /** The lead's name a sibling's field metadata records, or null when it is no sibling. */
  public static String leadOf(Field field) {
    Map<String, String> meta = field.getMetadata();
    return meta == null ? null : meta.get(UdfSpec.SIBLING_OF_KEY);
  }

  /** Sibling names as a lead's metadata holds them. */
  public static String writeNames(List<String> names) {
    try {
      return JSON.writeValueAsString(names);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> readNames(String json) {
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable sibling names " + json, e);
    }
  }

  /**
   * The column's Arrow field as the engine computes it, without metadata: the table's field, or for
   * siblings a struct of the siblings' fields.
   */
  public Field arrowField(Schema schema) {
    List<Field> stored = fileFields(schema);
    if (!siblings) {
      return stored.get(0);
    }
    return new Field(column, new FieldType(true, ArrowType.Struct.INSTANCE, null), stored);
  }

  /** The fields of the column's own data file, without metadata, in file order. */
  public List<Field> fileFields(Schema schema) {
    List<Field> out = new ArrayList<>();
    for (String name : names) {
      Field f = schema.findField(name);
      out.add(
          new Field(
              f.getName(), new FieldType(true, f.getType(), f.getDictionary()), f.getChildren()));
    }
    return out;
  }

  /** The Lance fields storing the column, in file order. */
  public List<LanceField> lanceFields(Dataset dataset) {
    List<LanceField> out = new ArrayList<>();
    for (String name : names) {
      LanceField found = null;
      for (LanceField f : dataset.getLanceSchema().fields()) {
        if (f.getName().equals(name)) {
          found = f;
        }
      }
      if (found == null) {
        throw new IllegalStateException("column '" + name + "' has no Lance field id");
      }
      out.add(found);
    }
    return out;
  }

  /**
   * The vectors to write for computed values {@code values}: the values themselves, or for siblings
   * the struct's children, where a null struct (a failed row, a null record) makes every sibling
   * null. The children stay owned by {@code values}.
   */
  public List<FieldVector> outputs(FieldVector values) {
    if (!siblings) {
      return List.of(values);
    }
    StructVector struct = (StructVector) values;
    List<FieldVector> children = struct.getChildrenFromFields();
    int n = struct.getValueCount();
    for (int i = 0; i < n; i++) {
      if (struct.isNull(i)) {
        for (FieldVector child : children) {
          ArrowBuf validity = child.getValidityBuffer();
          if (validity != null && validity.capacity() > 0 && i < child.getValueCount()) {
            BitVectorHelper.unsetBit(validity, i);
          }
        }
      }
    }
    return children;
  }
}
