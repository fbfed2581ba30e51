package dev.lancet.backfill.internal;

import dev.lancet.backfill.BackfillException;
import dev.lancet.backfill.VirtualColumns;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.schema.LanceField;

/**
 * Plans a backfill: pins the table version, checks the column is virtual and its UDF class
 * loads, and cuts the work into one unit per fragment.
 */
final class BackfillPlanner {
  private BackfillPlanner() {}

  static BackfillPlan plan(String datasetUri, Map<String, String> storageOptions, String column, int batchSize) {
    try (Dataset dataset = LanceDatasets.open(datasetUri, storageOptions)) {
      long version = dataset.version();
      UdfSpec spec = VirtualColumns.list(dataset.getSchema()).get(column);
      if (spec == null) {
        boolean exists = dataset.getSchema().getFields().stream().anyMatch(f -> f.getName().equals(column));
        throw new BackfillException(exists
            ? "column '" + column + "' of " + datasetUri + " is not a virtual column: it has no UDF to compute it"
            : "column '" + column + "' does not exist in " + datasetUri + "; its columns are "
                + dataset.getSchema().getFields().stream().map(Field::getName).toList());
      }
      // Fail before any work if the class is gone or no longer fits (the worker checks again).
      UdfInspector.loadClass(spec.className(), Thread.currentThread().getContextClassLoader());
      LanceField field = field(dataset, column);
      List<WorkUnit> units = new ArrayList<>();
      Map<Integer, PlannedFragment> fragments = new LinkedHashMap<>();
      for (Fragment fragment : dataset.getFragments()) {
        FragmentMetadata meta = fragment.metadata();
        PlannedFragment planned = PlannedFragment.of(meta);
        if (planned.liveRows() == 0) {
          continue;
        }
        fragments.put(planned.id(), planned);
        units.add(new WorkUnit(datasetUri, storageOptions, version, planned.id(), planned.physicalRows(), column,
            spec.toJson(), spec.batchSize() != null ? spec.batchSize() : batchSize));
      }
      return new BackfillPlan(datasetUri, version, column, field, spec, units, fragments);
    }
  }

  private static LanceField field(Dataset dataset, String column) {
    for (LanceField f : dataset.getLanceSchema().fields()) {
      if (f.getName().equals(column)) {
        return f;
      }
    }
    throw new BackfillException("column '" + column + "' has no Lance field id");
  }
}
