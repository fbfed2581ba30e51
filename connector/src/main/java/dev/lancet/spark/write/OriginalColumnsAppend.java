package dev.lancet.spark.write;

import dev.lancet.lance.LanceDatasets;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.LanceArrowUtils;
import org.lance.Dataset;
import org.lance.FragmentMetadata;
import org.lance.WriteParams;
import org.lance.fragment.DataFile;
import org.lance.operation.Append;
import org.lance.schema.LanceField;
import org.lance.spark.LanceSparkWriteOptions;
import org.lance.spark.write.LanceDataWriter;

/**
 * An append of rows that carry a table's original columns only, not its virtual ones: the new
 * fragments' files hold just the columns written, and Lance reads the virtual columns as null there
 * until a backfill writes each fragment a column file of its own.
 *
 * <p>Lance 4.0 refuses an append whose rows lack some of the table's fields ("Append with different
 * schema"), though a fragment may lack fields. So the rows are written by lance-spark's own task
 * writers as fragments of a table of their own schema (write mode {@code create}, which checks
 * nothing), whose field ids Lance numbers in pre-order from 0; at commit those ids are mapped, path
 * by path, to the table's own ids, and the fragments are appended in one Lance transaction read at
 * the version the write started from.
 */
final class OriginalColumnsAppend implements BatchWrite {
  private final StructType schema;
  private final LanceSparkWriteOptions writeOptions;
  private final Map<String, String> storageOptions;
  private final String namespaceImpl;
  private final Map<String, String> namespaceProperties;
  private final String tableName;
  private final long readVersion;
  private final int[] tableIds; // table field id of each written field, in pre-order

  OriginalColumnsAppend(
      StructType schema,
      LanceSparkWriteOptions options,
      Map<String, String> initialStorageOptions,
      String namespaceImpl,
      Map<String, String> namespaceProperties,
      String tableName) {
    this.schema = schema;
    this.writeOptions = options;
    this.storageOptions = initialStorageOptions;
    this.namespaceImpl = namespaceImpl;
    this.namespaceProperties = namespaceProperties;
    this.tableName = tableName;
    try (Dataset dataset =
        LanceDatasets.open(options.getDatasetUri(), options.getStorageOptions())) {
      this.readVersion = dataset.version();
      Map<String, Integer> ids = new HashMap<>();
      collect(dataset.getLanceSchema().fields(), "", ids);
      List<String> paths = new ArrayList<>();
      collectArrow(LanceArrowUtils.toArrowSchema(schema, "UTC", true).getFields(), "", paths);
      this.tableIds = new int[paths.size()];
      for (int i = 0; i < paths.size(); i++) {
        Integer id = ids.get(paths.get(i));
        if (id == null) {
          throw new LancetException(
              ErrorCode.LANCET_APPEND_MISMATCH,
              "cannot append to "
                  + tableName
                  + ": column "
                  + paths.get(i)
                  + " is not in the table");
        }
        tableIds[i] = id;
      }
    }
  }

  /**
   * Write options that let the task writers create fragments without checking the table's schema.
   */
  static LanceSparkWriteOptions.Builder creatingFragments(LanceSparkWriteOptions.Builder builder) {
    return builder.writeMode(WriteParams.WriteMode.CREATE);
  }

  @Override
  public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
    return new TaskWriters(
        schema,
        writeOptions,
        storageOptions,
        namespaceImpl,
        namespaceProperties,
        writeOptions.getTableId());
  }

  /** lance-spark's task writers (their constructor is protected). */
  static final class TaskWriters extends LanceDataWriter.WriterFactory {
    TaskWriters(
        StructType schema,
        LanceSparkWriteOptions options,
        Map<String, String> storageOptions,
        String namespaceImpl,
        Map<String, String> namespaceProperties,
        List<String> tableId) {
      super(schema, options, storageOptions, namespaceImpl, namespaceProperties, tableId);
    }
  }

  @Override
  public void commit(WriterCommitMessage[] messages) {
    List<FragmentMetadata> fragments = new ArrayList<>();
    for (WriterCommitMessage m : messages) {
      for (FragmentMetadata f : fragmentsOf(m)) {
        fragments.add(withTableIds(f));
      }
    }
    if (fragments.isEmpty()) {
      return;
    }
    try (Dataset dataset =
            LanceDatasets.open(
                writeOptions.getDatasetUri(), writeOptions.getStorageOptions(), readVersion);
        Dataset appended =
            dataset
                .newTransactionBuilder()
                .readVersion(readVersion)
                .operation(Append.builder().fragments(fragments).build())
                .build()
                .commit()) {
      // committed; closing releases the handle
    }
  }

  private FragmentMetadata withTableIds(FragmentMetadata f) {
    List<DataFile> files = new ArrayList<>();
    for (DataFile d : f.getFiles()) {
      int[] fields = new int[d.getFields().length];
      for (int i = 0; i < fields.length; i++) {
        int written = d.getFields()[i];
        if (written < 0 || written >= tableIds.length) {
          throw new LancetException(
              ErrorCode.LANCET_APPEND_MISMATCH,
              "cannot append to "
                  + tableName
                  + ": a written file names field "
                  + written
                  + " of "
                  + tableIds.length);
        }
        fields[i] = tableIds[written];
      }
      files.add(
          new DataFile(
              d.getPath(),
              fields,
              d.getColumnIndices(),
              d.getFileMajorVersion(),
              d.getFileMinorVersion(),
              d.getFileSizeBytes(),
              d.getBaseId().orElse(null)));
    }
    return new FragmentMetadata(
        f.getId(), files, f.getPhysicalRows(), f.getDeletionFile(), f.getRowIdMeta());
  }

  @SuppressWarnings("unchecked")
  private static List<FragmentMetadata> fragmentsOf(WriterCommitMessage message) {
    try {
      Method getter = message.getClass().getDeclaredMethod("getFragments");
      getter.setAccessible(true);
      return (List<FragmentMetadata>) getter.invoke(message);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "lance-spark's task commit ("
              + message.getClass().getName()
              + ") no longer lists its fragments",
          e);
    }
  }

  @Override
  public void abort(WriterCommitMessage[] messages) {
    // The written files are referenced by no version; Lance's cleanup removes unreferenced files.
  }

  private static void collect(List<LanceField> fields, String prefix, Map<String, Integer> out) {
    for (LanceField f : fields) {
      out.put(prefix + f.getName(), f.getId());
      collect(f.getChildren(), prefix + f.getName() + ".", out);
    }
  }

  private static void collectArrow(List<Field> fields, String prefix, List<String> out) {
    for (Field f : fields) {
      out.add(prefix + f.getName());
      collectArrow(f.getChildren(), prefix + f.getName() + ".", out);
    }
  }
}
