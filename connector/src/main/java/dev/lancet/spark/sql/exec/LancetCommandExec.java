package dev.lancet.spark.sql.exec;

import dev.lancet.spark.sql.plans.LancetCommand;
import org.apache.spark.sql.SparkSession;

/** An exec node for one of Lancet's logical commands. */
abstract class LancetCommandExec<P extends LancetCommand> extends LeafCommandExec {
  protected final transient SparkSession spark;
  protected final P plan;

  LancetCommandExec(SparkSession spark, P plan) {
    super(plan.output(), plan);
    this.spark = spark;
    this.plan = plan;
  }

  @Override
  public String simpleString(int maxFields) {
    return getClass().getSimpleName() + " " + plan.simpleString(maxFields);
  }
}
