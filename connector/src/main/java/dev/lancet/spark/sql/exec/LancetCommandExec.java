package dev.lancet.spark.sql.exec;

import dev.lancet.spark.sql.plans.LancetCommand;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.V2CommandExec;
import scala.collection.IndexedSeq;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** Base of Lancet's exec nodes: a leaf command run once on the driver. */
abstract class LancetCommandExec<P extends LancetCommand> extends V2CommandExec {
  protected final transient SparkSession spark;
  protected final P plan;

  LancetCommandExec(SparkSession spark, P plan) {
    this.spark = spark;
    this.plan = plan;
  }

  /** Does the work; returns the result rows. */
  protected abstract List<InternalRow> runCommand();

  @Override
  public Seq<InternalRow> run() {
    return JavaConverters.asScalaBuffer(runCommand()).toSeq();
  }

  @Override
  public Seq<Attribute> output() {
    return plan.output();
  }

  @Override
  public Seq<SparkPlan> children() {
    return JavaConverters.asScalaBuffer(List.<SparkPlan>of()).toSeq();
  }

  @Override
  public SparkPlan withNewChildrenInternal(IndexedSeq<SparkPlan> newChildren) {
    return this;
  }

  // An immutable leaf: nothing to copy (Spark would look for a constructor of product elements).
  @Override
  public SparkPlan clone() {
    return this;
  }

  @Override
  public int productArity() {
    return 1;
  }

  @Override
  public Object productElement(int n) {
    return plan;
  }

  @Override
  public boolean canEqual(Object that) {
    return that != null && that.getClass() == getClass();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LancetCommandExec<?> other && canEqual(o) && plan.equals(other.plan);
  }

  @Override
  public int hashCode() {
    return plan.hashCode();
  }

  @Override
  public String simpleString(int maxFields) {
    return getClass().getSimpleName() + " " + plan.simpleString(maxFields);
  }
}
