package dev.lancet.spark.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import scala.Tuple4;
import scala.collection.JavaConverters;

/**
 * A round's rows in progress on a cluster's executors, as their heartbeats report them ({@code
 * spark.executor.heartbeatInterval}, 10 s by default): each running task carries its JVM's count in
 * an accumulator ({@link RowAccumulators#reportInFlight}); per executor the largest of its tasks'
 * values counts, once. An executor whose heartbeat has no running task of the round counts 0.
 */
final class ExecutorsInFlight extends SparkListener {
  private final long accumulatorId;
  private final Map<String, Long> byExecutor = new ConcurrentHashMap<>();

  ExecutorsInFlight(long accumulatorId) {
    this.accumulatorId = accumulatorId;
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    long rows = 0;
    for (Tuple4<Object, Object, Object, scala.collection.Seq<AccumulableInfo>> task :
        JavaConverters.seqAsJavaList(update.accumUpdates())) {
      for (AccumulableInfo a : JavaConverters.seqAsJavaList(task._4())) {
        if (a.id() == accumulatorId && a.update().isDefined()) {
          rows = Math.max(rows, ((Number) a.update().get()).longValue());
        }
      }
    }
    byExecutor.put(update.execId(), rows);
  }

  /** The rows in progress the executors reported last. */
  long total() {
    return byExecutor.values().stream().mapToLong(Long::longValue).sum();
  }
}
