package dev.lancet.backfill.plan;

import dev.lancet.udf.UdfSpec;
import java.util.HashSet;
import java.util.Set;
import org.lance.Dataset;
import org.lance.schema.LanceField;

/** A table's Lance fields as planning sees them: the field ids of UDF inputs. */
final class TableFields {
  private TableFields() {}

  /** Field ids (with children) of the UDF's inputs. */
  static Set<Integer> inputFieldIds(Dataset dataset, UdfSpec spec) {
    Set<String> names = new HashSet<>(spec.inputs());
    Set<Integer> ids = new HashSet<>();
    for (LanceField f : dataset.getLanceSchema().fields()) {
      if (names.contains(f.getName())) {
        collectIds(f, ids);
      }
    }
    return ids;
  }

  /** Adds the field id of {@code f} and of its children, at every depth. */
  static void collectIds(LanceField f, Set<Integer> ids) {
    ids.add(f.getId());
    f.getChildren().forEach(c -> collectIds(c, ids));
  }
}
