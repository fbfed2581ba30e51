package dev.lancet.spark.sql.exec;

import dev.lancet.spark.sql.errors.LancetSqlException;
import dev.lancet.udf.LancetException;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.V2CommandExec;
import scala.collection.IndexedSeq;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Base of Lancet's exec nodes: an immutable leaf command run once on the driver. Subclasses do the
 * work in {@link #runCommand()}; {@code key} says what makes two nodes equal.
 */
abstract class LeafCommandExec extends V2CommandExec {
  private final Seq<Attribute> output;
  private final Object key;

  LeafCommandExec(Seq<Attribute> output, Object key) {
    this.output = output;
    this.key = key;
  }

  /** Does the work; returns the result rows. */
  protected abstract List<InternalRow> runCommand();

  /** Runs the command; a Lancet error leaves as Spark's AnalysisException with its code. */
  @Override
  public Seq<InternalRow> run() {
    try {
      return JavaConverters.asScalaBuffer(runCommand()).toSeq();
    } catch (LancetException e) {
      throw LancetSqlException.raise(e);
    }
  }

  @Override
  public Seq<Attribute> output() {
    return output;
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
    return key;
  }

  @Override
  public boolean canEqual(Object that) {
    return that != null && that.getClass() == getClass();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LeafCommandExec other && canEqual(o) && Objects.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(key);
  }
}
