package dev.lancet.lance;

import java.util.ArrayList;
import java.util.List;
import org.lance.schema.LanceField;

/**
 * Which Lance field ids a one-column data file holds, and at which column index of the file. A
 * nested column spans several fields. Seen with lance-core 4.0.0: files of format 2.0 give every
 * field of the column (parents included, in pre-order) a column; format 2.1 and later give columns
 * to leaf fields only (struct and list parents have none; a fixed-size list is a leaf).
 *
 * @param fieldIds the field ids, in file column order
 * @param columnIndices the column index of each
 */
public record ColumnLayout(int[] fieldIds, int[] columnIndices) {
  public static ColumnLayout of(LanceField column, FileFormat format) {
    return of(List.of(column), format);
  }

  /**
   * The layout of a file holding {@code stored} (a column's sibling group, {@link StoredColumn}),
   * one after the other.
   */
  public static ColumnLayout of(List<LanceField> stored, FileFormat format) {
    List<Integer> ids = new ArrayList<>();
    for (LanceField column : stored) {
      collect(column, format.major() == 2 && format.minor() == 0, ids);
    }
    int[] fields = ids.stream().mapToInt(Integer::intValue).toArray();
    int[] columns = new int[fields.length];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = i;
    }
    return new ColumnLayout(fields, columns);
  }

  private static void collect(LanceField field, boolean parentsHaveColumns, List<Integer> ids) {
    boolean leaf = field.getChildren().isEmpty();
    if (leaf || parentsHaveColumns) {
      ids.add(field.getId());
    }
    for (LanceField child : field.getChildren()) {
      collect(child, parentsHaveColumns, ids);
    }
  }

  /** Whether a data file holds this column (any of its fields). */
  public boolean heldBy(int[] fileFields) {
    for (int f : fileFields) {
      for (int id : fieldIds) {
        if (f == id) {
          return true;
        }
      }
    }
    return false;
  }
}
