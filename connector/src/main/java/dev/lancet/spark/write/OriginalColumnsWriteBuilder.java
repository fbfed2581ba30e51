package dev.lancet.spark.write;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructType;
import org.lance.spark.LanceSparkReadOptions;
import org.lance.spark.LanceSparkWriteOptions;

/** Builds the {@link OriginalColumnsAppend} of a table's write target without virtual columns. */
public final class OriginalColumnsWriteBuilder implements WriteBuilder {
  private final OriginalColumnsAppend append;

  /**
   * @param schema the columns written (the table's, less its virtual ones)
   * @param readOptions the table's read options (URI, namespace, table id)
   * @param info the write's options
   * @param fileFormatVersion the table's file format version, or null
   */
  public OriginalColumnsWriteBuilder(
      StructType schema,
      LanceSparkReadOptions readOptions,
      LogicalWriteInfo info,
      Map<String, String> initialStorageOptions,
      String namespaceImpl,
      Map<String, String> namespaceProperties,
      String fileFormatVersion,
      String tableName) {
    Map<String, String> options = new HashMap<>(readOptions.getStorageOptions());
    options.putAll(info.options().asCaseSensitiveMap());
    LanceSparkWriteOptions.Builder builder =
        LanceSparkWriteOptions.builder()
            .datasetUri(readOptions.getDatasetUri())
            .namespace(readOptions.getNamespace())
            .tableId(readOptions.getTableId())
            .fromOptions(options);
    if (!options.containsKey("file_format_version") && fileFormatVersion != null) {
      builder.fileFormatVersion(fileFormatVersion);
    }
    this.append =
        new OriginalColumnsAppend(
            schema,
            OriginalColumnsAppend.creatingFragments(builder).build(),
            initialStorageOptions,
            namespaceImpl,
            namespaceProperties,
            tableName);
  }

  @Override
  public Write build() {
    return new Write() {
      @Override
      public BatchWrite toBatch() {
        return append;
      }
    };
  }
}
