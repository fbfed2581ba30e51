package dev.lancet.spark.catalog;

import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.LanceJvm;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.metadata.MetadataTable;
import dev.lancet.udf.UdfSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NamespaceAlreadyExistsException;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.lance.Dataset;
import org.lance.spark.LanceDataset;
import org.lance.spark.LanceNamespaceSparkCatalog;
import org.lance.spark.LanceSparkReadOptions;
import org.lance.spark.write.StagedCommit;

/**
 * lance-spark's namespace catalog, with Lance tables that know their virtual columns ({@link
 * LancetDataset}): rows are appended with the table's original columns, and errors name the table
 * as users write it. Configure it as {@code
 * spark.sql.catalog.lancet=dev.lancet.spark.catalog.LancetCatalog} with lance-spark's own settings
 * ({@code impl}, {@code root}, ...).
 *
 * <p>Its default namespace is {@value #DEFAULT_NAMESPACE} (created when missing), so a bare table
 * name means the same table in every client whose current catalog it is: {@code lancet-sql}, {@code
 * spark-sql}, {@code spark-submit}, PySpark and notebooks. Tables in its warehouse are managed:
 * {@code DROP TABLE} removes the table's data with it, as {@code DROP TABLE ... PURGE} does.
 */
public class LancetCatalog extends LanceNamespaceSparkCatalog {
  /** The namespace of bare table names. */
  public static final String DEFAULT_NAMESPACE = "default";

  static {
    LanceJvm.prepare(); // a catalog configured without Lancet's SQL extension
  }

  @Override
  public void initialize(String name, CaseInsensitiveStringMap options) {
    super.initialize(name, options);
    String[] namespace = {DEFAULT_NAMESPACE};
    if (options.containsKey("impl") && !namespaceExists(namespace)) {
      try {
        createNamespace(namespace, Map.of());
      } catch (NamespaceAlreadyExistsException e) {
        // another client created it meanwhile
      }
    }
  }

  @Override
  public String[] defaultNamespace() {
    return new String[] {DEFAULT_NAMESPACE};
  }

  /**
   * A table, or a Lance table's metadata table ({@link MetadataTable}): {@code t.backfill_jobs},
   * {@code t.backfill_errors} or {@code t.virtual_columns}, where {@code t} names a table of the
   * current namespace ({@code t.backfill_jobs}) or of a namespace ({@code ns.t.backfill_jobs}). A
   * table of that name itself comes first.
   */
  @Override
  public Table loadTable(Identifier ident) throws NoSuchTableException {
    try {
      return super.loadTable(ident);
    } catch (NoSuchTableException missing) {
      Table meta = metadataTable(ident);
      if (meta == null) {
        throw missing;
      }
      return meta;
    }
  }

  private Table metadataTable(Identifier ident) {
    Optional<MetadataTable.Kind> kind = MetadataTable.Kind.named(ident.name());
    String[] namespace = ident.namespace();
    if (kind.isEmpty() || namespace.length == 0) {
      return null;
    }
    String[] parentNamespace =
        namespace.length == 1 ? defaultNamespace() : Arrays.copyOf(namespace, namespace.length - 1);
    Identifier parent = Identifier.of(parentNamespace, namespace[namespace.length - 1]);
    Table table;
    try {
      table = super.loadTable(parent);
    } catch (NoSuchTableException | RuntimeException notATable) {
      return null;
    }
    if (!(table instanceof LanceDataset lance)) {
      return null;
    }
    ResolvedLanceTable resolved = ResolvedLanceTable.of(this, parent, lance);
    SparkSession spark = SparkSession.active();
    return MetadataTable.of(
        kind.get(),
        resolved.displayName(),
        resolved.datasetUri(),
        resolved.storageOptions(),
        LancetConf.of(spark).udfClassLoader());
  }

  /**
   * lance-spark only deregisters a dropped table and leaves its folder; a managed table's data goes
   * with it.
   */
  @Override
  public boolean dropTable(Identifier ident) {
    return purgeTable(ident);
  }

  @Override
  public LanceDataset createDataset(
      LanceSparkReadOptions readOptions,
      StructType sparkSchema,
      Map<String, String> initialStorageOptions,
      String namespaceImpl,
      Map<String, String> namespaceProperties,
      boolean managedVersioning,
      String fileFormatVersion) {
    return new LancetDataset(
        name(),
        readOptions,
        withUdfMetadata(sparkSchema, readOptions),
        initialStorageOptions,
        namespaceImpl,
        namespaceProperties,
        managedVersioning,
        null,
        fileFormatVersion,
        LancetDataset.Role.TABLE);
  }

  @Override
  public LanceDataset createStagedDataset(
      LanceSparkReadOptions readOptions,
      StructType sparkSchema,
      Map<String, String> initialStorageOptions,
      String namespaceImpl,
      Map<String, String> namespaceProperties,
      boolean managedVersioning,
      StagedCommit stagedCommit,
      String fileFormatVersion) {
    return new LancetDataset(
        name(),
        readOptions,
        withUdfMetadata(sparkSchema, readOptions),
        initialStorageOptions,
        namespaceImpl,
        namespaceProperties,
        managedVersioning,
        stagedCommit,
        fileFormatVersion,
        LancetDataset.Role.TABLE);
  }

  /**
   * lance-spark gives a fixed-size list column (an embedding) the Spark metadata that marks it as
   * one, in place of the Lance field's own metadata, so a virtual column of that type loses its
   * definition in Spark's schema. Only then is the Lance schema read to put it back beside.
   */
  static StructType withUdfMetadata(StructType sparkSchema, LanceSparkReadOptions readOptions) {
    if (sparkSchema == null
        || Arrays.stream(sparkSchema.fields()).noneMatch(f -> f.metadata().contains(FIXED_SIZE))) {
      return sparkSchema;
    }
    Map<String, Map<String, String>> definitions = new HashMap<>();
    try (Dataset dataset =
        LanceDatasets.open(readOptions.getDatasetUri(), readOptions.getStorageOptions())) {
      for (org.apache.arrow.vector.types.pojo.Field f : dataset.getSchema().getFields()) {
        Map<String, String> kept = new HashMap<>();
        for (String key :
            List.of(UdfSpec.METADATA_KEY, UdfSpec.SIBLINGS_KEY, UdfSpec.SIBLING_OF_KEY)) {
          String value = f.getMetadata() == null ? null : f.getMetadata().get(key);
          if (value != null) {
            kept.put(key, value);
          }
        }
        if (!kept.isEmpty()) {
          definitions.put(f.getName(), kept);
        }
      }
    } catch (RuntimeException e) {
      return sparkSchema; // not there yet (a table being created)
    }
    StructField[] fields = sparkSchema.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      Map<String, String> kept = definitions.get(fields[i].name());
      if (kept != null && !LancetDataset.isVirtual(fields[i])) {
        MetadataBuilder builder = new MetadataBuilder().withMetadata(fields[i].metadata());
        kept.forEach(builder::putString);
        Metadata merged = builder.build();
        fields[i] =
            new StructField(fields[i].name(), fields[i].dataType(), fields[i].nullable(), merged);
      }
    }
    return new StructType(fields);
  }

  private static final String FIXED_SIZE = "arrow.fixed-size-list.size";
}
