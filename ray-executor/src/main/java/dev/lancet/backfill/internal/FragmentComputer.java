package dev.lancet.backfill.internal;

import dev.lancet.backfill.BackfillException;
import dev.lancet.udf.ColumnUdf;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.RowErrors;
import dev.lancet.udf.UdfRowException;
import dev.lancet.udf.UdfSpec;
import dev.lancet.udf.types.TypeStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.lance.Dataset;
import org.lance.file.LanceFileWriter;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.ScanOptions;

/**
 * Computes one fragment's column and writes it as one Lance file.
 *
 * <p>Lance's DataReplacement does not check row counts, so the file must hold exactly the
 * fragment's physical rows in physical order (deleted rows included). Each computed value goes
 * to slot {@code _rowaddr & 0xFFFFFFFF}; slots of deleted rows stay null.
 */
final class FragmentComputer {
  static final String ROW_ADDRESS = "_rowaddr";

  private FragmentComputer() {}

  static FragmentReceipt compute(WorkUnit unit, ColumnUdf udf) {
    UdfSpec spec = udf.spec();
    if (unit.physicalRows() > Integer.MAX_VALUE) {
      throw new BackfillException("fragment " + unit.fragmentId() + " has " + unit.physicalRows() + " rows, more than one column file can hold");
    }
    int physicalRows = (int) unit.physicalRows();
    String fileName = DataFiles.newFileName();
    String fileUri = DataFiles.dataFileUri(unit.datasetUri(), fileName);
    Tally tally = new Tally(spec.errorPolicy().nullOnError());
    try (BufferAllocator allocator = Allocators.child("lancet-fragment-" + unit.fragmentId());
         Dataset dataset = LanceDatasets.open(allocator, unit.datasetUri(), unit.storageOptions(), unit.version())) {
      Field field = TypeStrings.parse(spec.outputType()).toField(unit.column(), true);
      try (FieldVector aligned = field.createVector(allocator)) {
        aligned.setInitialCapacity(physicalRows);
        aligned.allocateNew();
        computeInto(aligned, dataset, unit, udf, allocator, tally);
        aligned.setValueCount(physicalRows);
        write(fileUri, dataset, aligned, allocator, unit.storageOptions());
      }
    } catch (UdfException | BackfillException e) {
      DataFiles.deleteQuietly(fileUri);
      throw e;
    } catch (Exception e) {
      DataFiles.deleteQuietly(fileUri);
      throw new BackfillException("column '" + unit.column() + "': computing fragment " + unit.fragmentId()
          + " of " + unit.datasetUri() + " failed: " + e, e);
    }
    Long size = DataFiles.sizeOf(fileUri);
    return new FragmentReceipt(unit.fragmentId(), fileName, size == null ? 0 : size, tally.rows, physicalRows,
        tally.failed, tally.errors);
  }

  /** Rows computed and failed in one fragment; collects failed rows under on_error = null. */
  private static final class Tally {
    final boolean collect;
    long rows;
    long failed;
    final List<RowError> errors = new ArrayList<>();

    Tally(boolean collect) {
      this.collect = collect;
    }

    RowErrors sink(UInt8Vector addresses) {
      if (!collect) {
        return null;
      }
      return (row, inputs, error) -> {
        failed++;
        if (errors.size() < FragmentReceipt.MAX_ERRORS) {
          errors.add(new RowError(addresses.get(row), inputs, String.valueOf(error)));
        }
      };
    }
  }

  private static void computeInto(FieldVector aligned, Dataset dataset, WorkUnit unit, ColumnUdf udf,
      BufferAllocator allocator, Tally tally) throws Exception {
    ScanOptions options = new ScanOptions.Builder()
        .fragmentIds(List.of(unit.fragmentId()))
        .columns(udf.spec().inputs())
        .withRowAddress(true)
        .batchSize(unit.batchSize())
        .build();
    try (LanceScanner scanner = dataset.newScan(options); ArrowReader reader = scanner.scanBatches()) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot batch = reader.getVectorSchemaRoot();
        UInt8Vector addresses = (UInt8Vector) batch.getVector(ROW_ADDRESS);
        FieldVector values;
        try {
          values = udf.compute(batch, unit.column(), allocator, tally.sink(addresses));
        } catch (UdfRowException e) {
          long address = addresses.get(e.rowInBatch());
          throw new BackfillException("column '" + unit.column() + "': " + e.getMessage() + " at row address "
              + address + " (fragment " + (address >>> 32) + ", row " + (address & 0xFFFFFFFFL) + ")", e.getCause());
        }
        try (values) {
          int rows = batch.getRowCount();
          for (int i = 0; i < rows; i++) {
            long address = addresses.get(i);
            long slot = address & 0xFFFFFFFFL;
            if ((address >>> 32) != unit.fragmentId() || slot >= unit.physicalRows()) {
              throw new BackfillException("fragment " + unit.fragmentId() + ": scan returned row address " + address
                  + " outside the fragment's " + unit.physicalRows() + " physical rows");
            }
            aligned.copyFromSafe(i, (int) slot, values);
          }
          tally.rows += rows;
        }
      }
    }
  }

  private static void write(String fileUri, Dataset dataset, FieldVector aligned, BufferAllocator allocator,
      Map<String, String> storageOptions) throws Exception {
    try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(aligned.getField()), List.of(aligned));
         LanceFileWriter writer = LanceFileWriter.open(fileUri, allocator, null,
             Optional.of(FileFormat.of(dataset).versionString()), storageOptions)) {
      writer.write(root);
    }
  }

}
