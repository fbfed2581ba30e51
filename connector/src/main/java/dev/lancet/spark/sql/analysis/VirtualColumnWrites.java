package dev.lancet.spark.sql.analysis;

import dev.lancet.spark.catalog.LancetDataset;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.plans.logical.AppendData;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.MergeIntoTable;
import org.apache.spark.sql.catalyst.plans.logical.UpdateTable;
import org.apache.spark.sql.catalyst.plans.logical.V2WriteCommand;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Lets rows be appended to a table with virtual columns using the table's original columns: {@code
 * INSERT INTO t VALUES (...)} with the original columns' values, {@code INSERT INTO t (cols) ...},
 * {@code df.writeTo(t).append()} and {@code df.write.insertInto(t)} whose rows lack the virtual
 * columns. The write's target becomes the table without its virtual columns, so the appended files
 * do not carry them (Lance reads a missing column as null) and a later backfill writes each new
 * fragment's column file of its own. A write that names a virtual column, or gives as many values
 * as the table has columns, targets every column as before.
 *
 * <p>{@code UPDATE} and {@code MERGE} target every column.
 *
 * <p>Runs in Spark's resolution batch, once the target and the rows are resolved: an {@code INSERT}
 * is rewritten before Spark turns it into an append, and an append (which Spark let through because
 * such a table accepts any schema, see {@link LancetDataset}) before Spark checks its columns
 * against the target.
 */
public final class VirtualColumnWrites extends Rule<LogicalPlan> {
  @Override
  public LogicalPlan apply(LogicalPlan plan) {
    if (plan instanceof InsertIntoStatement insert
        && insert.query().resolved()
        && insert.table() instanceof DataSourceV2Relation relation
        && needsTarget(relation)) {
      List<String> specified = JavaConverters.seqAsJavaList(insert.userSpecifiedCols());
      boolean byName = !specified.isEmpty() || insert.byName();
      List<String> names = !specified.isEmpty() ? specified : names(insert.query().output());
      DataSourceV2Relation target =
          insert.overwrite()
              ? everyColumn(relation)
              : target(relation, byName, names, insert.query().output().size());
      return new InsertIntoStatement(
          target,
          insert.partitionSpec(),
          insert.userSpecifiedCols(),
          insert.query(),
          insert.overwrite(),
          insert.ifPartitionNotExists(),
          insert.byName());
    }
    if (plan instanceof V2WriteCommand write
        && write.query().resolved()
        && write.table() instanceof DataSourceV2Relation relation
        && needsTarget(relation)) {
      Seq<Attribute> output = write.query().output();
      return (LogicalPlan)
          write.withNewTable(
              write instanceof AppendData
                  ? target(relation, write.isByName(), names(output), output.size())
                  : everyColumn(relation));
    }
    if ((plan instanceof UpdateTable || plan instanceof MergeIntoTable)
        && plan.children().nonEmpty()) {
      // Row-level commands read and write every column; the table's any-schema writes would stop
      // Spark from aligning their assignments, so their target is every column.
      List<LogicalPlan> children =
          new java.util.ArrayList<>(JavaConverters.seqAsJavaList(plan.children()));
      LogicalPlan target = everyColumnIn(children.get(0));
      if (target != children.get(0)) {
        children.set(0, target);
        return plan.withNewChildren(JavaConverters.asScalaBuffer(children).toSeq());
      }
    }
    return plan;
  }

  /** {@code plan} with a table of virtual columns in it replaced by its every-column target. */
  private static LogicalPlan everyColumnIn(LogicalPlan plan) {
    if (plan instanceof DataSourceV2Relation relation) {
      return needsTarget(relation) ? everyColumn(relation) : plan;
    }
    List<LogicalPlan> children = JavaConverters.seqAsJavaList(plan.children());
    List<LogicalPlan> swapped = children.stream().map(VirtualColumnWrites::everyColumnIn).toList();
    boolean changed = false;
    for (int i = 0; i < children.size(); i++) {
      changed |= swapped.get(i) != children.get(i);
    }
    return changed ? plan.withNewChildren(JavaConverters.asScalaBuffer(swapped).toSeq()) : plan;
  }

  /** An overwrite replaces the table's schema with what it writes: it must write every column. */
  private static DataSourceV2Relation everyColumn(DataSourceV2Relation relation) {
    return new DataSourceV2Relation(
        ((LancetDataset) relation.table()).writeTarget(true),
        relation.output(),
        relation.catalog(),
        relation.identifier(),
        relation.options());
  }

  private static boolean needsTarget(DataSourceV2Relation relation) {
    return relation.table() instanceof LancetDataset table
        && table.role() == LancetDataset.Role.TABLE
        && !table.virtualColumns().isEmpty();
  }

  private static List<String> names(Seq<Attribute> output) {
    return JavaConverters.seqAsJavaList(output).stream().map(Attribute::name).toList();
  }

  /**
   * The write's target: every column when the rows name a virtual column (by name) or give a value
   * for every column (by position), else the original columns only.
   */
  private static DataSourceV2Relation target(
      DataSourceV2Relation relation, boolean byName, List<String> names, int arity) {
    LancetDataset table = (LancetDataset) relation.table();
    List<String> virtual = table.virtualColumns();
    boolean withVirtual =
        byName
            ? names.stream().anyMatch(n -> virtual.stream().anyMatch(v -> v.equalsIgnoreCase(n)))
            : arity == table.schema().fields().length;
    List<AttributeReference> output =
        JavaConverters.seqAsJavaList(relation.output()).stream()
            .filter(
                a -> withVirtual || virtual.stream().noneMatch(v -> v.equalsIgnoreCase(a.name())))
            .toList();
    return new DataSourceV2Relation(
        table.writeTarget(withVirtual),
        JavaConverters.asScalaBuffer(output).toSeq(),
        relation.catalog(),
        relation.identifier(),
        relation.options());
  }
}
