package dev.lancet.spark.catalog;

import dev.lancet.spark.read.LancetScanBuilder;
import dev.lancet.spark.write.LancetDeltaOperation;
import dev.lancet.spark.write.OriginalColumnsWriteBuilder;
import dev.lancet.udf.UdfSpec;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.RowLevelOperationBuilder;
import org.apache.spark.sql.connector.write.RowLevelOperationInfo;
import org.apache.spark.sql.connector.write.SupportsDelta;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.lance.spark.LancePositionDeltaDataset;
import org.lance.spark.LanceSparkReadOptions;
import org.lance.spark.write.StagedCommit;

/**
 * A Lance table as {@link LancetCatalog} gives it to Spark: lance-spark's table, named as users
 * write it ({@code catalog.namespace.table}, not its folder), that knows which of its columns are
 * virtual (their Spark field carries the {@value UdfSpec#METADATA_KEY} metadata; no UDF class is
 * loaded to know it).
 *
 * <p>A table with virtual columns accepts any schema from a writer for a moment: Spark then does
 * not check an append against the whole schema, and {@code VirtualColumnWrites} (an analysis rule)
 * replaces the target with a {@link Role#WRITE_TARGET} of the columns the rows carry: the original
 * columns only (virtual columns read null until backfilled, and the appended files do not carry
 * them at all), or every column when the rows give virtual values too. Spark's usual checks then
 * run against that target.
 */
public final class LancetDataset extends LancePositionDeltaDataset {
  /** What the table is for. */
  public enum Role {
    /** The table as the catalog loads it. */
    TABLE,
    /** The target of one write, with exactly the columns it writes. */
    WRITE_TARGET
  }

  private final String catalogName;
  private final Map<String, String> initialStorageOptions;
  private final String namespaceImpl;
  private final Map<String, String> namespaceProperties;
  private final boolean managedVersioning;
  private final String fileFormatVersion;
  private final Role role;
  private boolean withoutVirtualColumns;

  LancetDataset(
      String catalogName,
      LanceSparkReadOptions readOptions,
      StructType sparkSchema,
      Map<String, String> initialStorageOptions,
      String namespaceImpl,
      Map<String, String> namespaceProperties,
      boolean managedVersioning,
      StagedCommit stagedCommit,
      String fileFormatVersion,
      Role role) {
    super(
        readOptions,
        sparkSchema,
        initialStorageOptions,
        namespaceImpl,
        namespaceProperties,
        managedVersioning,
        stagedCommit,
        fileFormatVersion);
    this.catalogName = catalogName;
    this.initialStorageOptions = initialStorageOptions;
    this.namespaceImpl = namespaceImpl;
    this.namespaceProperties = namespaceProperties;
    this.managedVersioning = managedVersioning;
    this.fileFormatVersion = fileFormatVersion;
    this.role = role;
  }

  /** {@code catalog.namespace.table}, as users write it. */
  @Override
  public String name() {
    List<String> id = readOptions().getTableId();
    return id == null || id.isEmpty() ? super.name() : catalogName + "." + String.join(".", id);
  }

  /** Names of the virtual columns, in schema order. */
  public List<String> virtualColumns() {
    return Arrays.stream(schema().fields())
        .filter(LancetDataset::isVirtual)
        .map(StructField::name)
        .toList();
  }

  /** Whether a Spark field is a virtual column (a sibling column included). */
  public static boolean isVirtual(StructField field) {
    return field.metadata().contains(UdfSpec.METADATA_KEY)
        || field.metadata().contains(UdfSpec.SIBLING_OF_KEY);
  }

  /** lance-spark's scan, read through {@link LancetScanBuilder} (see there why). */
  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return LancetScanBuilder.around(super.newScanBuilder(options), schema());
  }

  /** lance-spark's row-level operations, their scans read as {@link #newScanBuilder} reads. */
  @Override
  public RowLevelOperationBuilder newRowLevelOperationBuilder(RowLevelOperationInfo info) {
    RowLevelOperationBuilder builder = super.newRowLevelOperationBuilder(info);
    return () -> {
      var operation = builder.build();
      return operation instanceof SupportsDelta delta
          ? new LancetDeltaOperation(delta, schema())
          : operation;
    };
  }

  public Role role() {
    return role;
  }

  @Override
  public Set<TableCapability> capabilities() {
    Set<TableCapability> capabilities = super.capabilities();
    if (role == Role.WRITE_TARGET || virtualColumns().isEmpty()) {
      return capabilities;
    }
    Set<TableCapability> any = new HashSet<>(capabilities);
    any.add(TableCapability.ACCEPT_ANY_SCHEMA);
    return any;
  }

  /**
   * A write target without virtual columns appends its rows' original columns only (see {@link
   * OriginalColumnsWriteBuilder}); any other table writes as lance-spark does.
   */
  @Override
  public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    if (role == Role.WRITE_TARGET && withoutVirtualColumns && !managedVersioning) {
      return new OriginalColumnsWriteBuilder(
          schema(),
          readOptions(),
          info,
          initialStorageOptions,
          namespaceImpl,
          namespaceProperties,
          fileFormatVersion,
          name());
    }
    return super.newWriteBuilder(info);
  }

  /** The target of a write of the original columns only ({@code false}) or of every column. */
  public LancetDataset writeTarget(boolean withVirtualColumns) {
    StructType schema =
        withVirtualColumns
            ? schema()
            : new StructType(
                Arrays.stream(schema().fields())
                    .filter(f -> !isVirtual(f))
                    .toArray(StructField[]::new));
    LancetDataset target =
        new LancetDataset(
            catalogName,
            readOptions(),
            schema,
            initialStorageOptions,
            namespaceImpl,
            namespaceProperties,
            managedVersioning,
            null,
            fileFormatVersion,
            Role.WRITE_TARGET);
    target.withoutVirtualColumns = !withVirtualColumns;
    return target;
  }
}
