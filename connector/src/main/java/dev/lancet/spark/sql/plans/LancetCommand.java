package dev.lancet.spark.sql.plans;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.types.DataTypeUtils;
import org.apache.spark.sql.types.StructType;
import scala.collection.IndexedSeq;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Base of Lancet's logical plans: a leaf {@link Command}, so Spark runs it eagerly when the
 * statement is issued, as it does its own DDL. Its output attributes are made once, so the plan and
 * its exec node agree on them.
 */
public abstract class LancetCommand extends LogicalPlan implements Command {
  private final List<String> table;
  private final Seq<Attribute> output;

  protected LancetCommand(List<String> table, StructType outputSchema) {
    this.table = List.copyOf(table);
    this.output =
        JavaConverters.asScalaBuffer(
                JavaConverters.seqAsJavaList(DataTypeUtils.toAttributes(outputSchema)).stream()
                    .map(a -> (Attribute) a)
                    .toList())
            .toSeq();
  }

  /** The table name parts as written (catalog, namespace, table). */
  public List<String> table() {
    return table;
  }

  @Override
  public Seq<Attribute> output() {
    return output;
  }

  @Override
  public Seq<LogicalPlan> children() {
    return JavaConverters.asScalaBuffer(List.<LogicalPlan>of()).toSeq();
  }

  @Override
  public LogicalPlan withNewChildrenInternal(IndexedSeq<LogicalPlan> newChildren) {
    return this;
  }

  // Command declares nodePatterns as a Scala val; TreeNode's own implementation serves.
  @Override
  public void org$apache$spark$sql$catalyst$plans$logical$Command$_setter_$nodePatterns_$eq(
      Seq<scala.Enumeration.Value> patterns) {}

  // Spark clones plans by calling a constructor with the product elements; an immutable leaf
  // has nothing to copy.
  @Override
  public LogicalPlan clone() {
    return this;
  }

  /** The fields that make two plans equal, in order. */
  protected abstract List<Object> fields();

  @Override
  public int productArity() {
    return fields().size();
  }

  @Override
  public Object productElement(int n) {
    return fields().get(n);
  }

  @Override
  public boolean canEqual(Object that) {
    return that != null && that.getClass() == getClass();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LancetCommand other && canEqual(o) && fields().equals(other.fields());
  }

  @Override
  public int hashCode() {
    return fields().hashCode();
  }
}
