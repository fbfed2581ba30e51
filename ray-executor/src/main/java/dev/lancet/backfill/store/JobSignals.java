package dev.lancet.backfill.store;

import dev.lancet.lance.DataFiles;
import dev.lancet.lance.TableLocation;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.LoggerFactory;

/**
 * What passes between a running job and the rest of the world through its table, under {@code
 * <table>/_lancet/signals/}: the driver's heartbeat (rewritten every few seconds, so a job whose
 * driver died is seen as abandoned) and a request to cancel it (from another session, or another
 * process).
 */
public final class JobSignals {
  /** How often a running job's driver writes its heartbeat. */
  public static final long HEARTBEAT_MILLIS = 5_000;

  /**
   * A running job without a heartbeat this long is abandoned (JVM property {@code
   * lancet.jobs.abandoned-after-ms}).
   */
  static long abandonedAfterMillis() {
    return Long.getLong("lancet.jobs.abandoned-after-ms", 60_000);
  }

  private final TableLocation signals;

  public JobSignals(TableLocation table) {
    this.signals = InternalPaths.SIGNALS.under(table);
  }

  private String heartbeatUri(String jobId) {
    return signals.uri() + "/heartbeat-" + jobId + ".lance";
  }

  private String cancelUri(String jobId) {
    return signals.uri() + "/cancel-" + jobId + ".lance";
  }

  /** Records that the job's driver is alive now. */
  public void heartbeat(String jobId, BufferAllocator allocator) {
    try {
      TextFiles.write(
          heartbeatUri(jobId),
          String.valueOf(System.currentTimeMillis()),
          Map.of(),
          signals.storageOptions(),
          allocator);
    } catch (Exception e) {
      LoggerFactory.getLogger(JobSignals.class)
          .debug("cannot write the heartbeat of job {}: {}", jobId, e.toString());
    }
  }

  /** When the job's driver was last alive (epoch ms), or 0 when it never said. */
  long lastHeartbeat(String jobId, BufferAllocator allocator) {
    String text = TextFiles.read(heartbeatUri(jobId), signals.storageOptions(), allocator);
    try {
      return text == null ? 0 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Asks the job to stop; its driver sees it within a heartbeat. */
  void requestCancel(String jobId, String reason, BufferAllocator allocator) throws Exception {
    TextFiles.write(cancelUri(jobId), reason, Map.of(), signals.storageOptions(), allocator);
  }

  /** Why the job was asked to stop, or null. */
  public String cancelRequested(String jobId, BufferAllocator allocator) {
    return TextFiles.read(cancelUri(jobId), signals.storageOptions(), allocator);
  }

  /** Removes the job's signals (it ended). */
  public void forget(String jobId) {
    DataFiles.deleteQuietly(heartbeatUri(jobId), signals.storageOptions());
    DataFiles.deleteQuietly(cancelUri(jobId), signals.storageOptions());
  }
}
