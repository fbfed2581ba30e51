package dev.lancet.backfill;

import java.util.Locale;

/** Where a backfill job is. */
public enum JobStatus {
  /** Its driver is at work (its heartbeat is recent). */
  RUNNING,
  /** It ended computing everything it planned. */
  SUCCEEDED,
  /** It stopped on an error; what it finished is kept for the next run. */
  FAILED,
  /** It was cancelled; what it finished is kept for the next run. */
  CANCELLED,
  /**
   * Its driver died without ending it (no heartbeat for a minute): a record of {@code RUNNING} that
   * never ended.
   */
  ABANDONED;

  /** The lower-case name, as job records and SQL show it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status of a {@link #label()}. */
  public static JobStatus parse(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
