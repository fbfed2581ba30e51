package dev.lancet.spark;

import dev.lancet.lance.LanceJvm;
import dev.lancet.spark.functions.ExplodeFunction;
import dev.lancet.spark.ops.RayShutdownListener;
import dev.lancet.spark.sql.analysis.VirtualColumnWrites;
import dev.lancet.spark.sql.exec.LancetStrategy;
import dev.lancet.spark.sql.parser.LancetSqlParser;
import org.apache.spark.sql.SparkSessionExtensions;
import scala.Function1;
import scala.runtime.BoxedUnit;

/**
 * The Spark SQL extension that adds Lancet's statements. Enable it with {@code
 * spark.sql.extensions=dev.lancet.spark.LancetSparkSessionExtensions} (after lance-spark's own
 * {@code org.lance.spark.extensions.LanceSparkSessionExtensions}).
 */
public final class LancetSparkSessionExtensions
    implements Function1<SparkSessionExtensions, BoxedUnit> {
  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    LanceJvm.prepare(); // before the session's first Lance class loads
    extensions.injectParser((session, delegate) -> new LancetSqlParser(delegate));
    extensions.injectResolutionRule(session -> new VirtualColumnWrites());
    extensions.injectTableFunction(ExplodeFunction.description());
    extensions.injectPlannerStrategy(
        session -> {
          RayShutdownListener.register(session.sparkContext());
          return new LancetStrategy(session);
        });
    return BoxedUnit.UNIT;
  }
}
