package dev.lancet.backfill.store;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/** The Arrow cells and fields the {@code _lancet/} tables are written and read with, once. */
final class Cells {
  private Cells() {}

  static Field utf8(String name) {
    return Field.nullable(name, ArrowType.Utf8.INSTANCE);
  }

  static Field int64(String name) {
    return Field.nullable(name, new ArrowType.Int(64, true));
  }

  static Field int32(String name) {
    return Field.nullable(name, new ArrowType.Int(32, true));
  }

  /** Sets row {@code i} of the text column {@code name} (null stays null). */
  static void setText(VectorSchemaRoot root, String name, int i, String value) {
    VarCharVector v = (VarCharVector) root.getVector(name);
    if (value == null) {
      v.setNull(i);
    } else {
      v.setSafe(i, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Row {@code i} of the text column {@code name}, or null. */
  static String text(VectorSchemaRoot root, String name, int i) {
    VarCharVector v = (VarCharVector) root.getVector(name);
    return v.isNull(i) ? null : new String(v.get(i), StandardCharsets.UTF_8);
  }
}
