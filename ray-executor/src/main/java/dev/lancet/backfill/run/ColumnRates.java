package dev.lancet.backfill.run;

import dev.lancet.backfill.BackfillJob;
import dev.lancet.backfill.store.JobRecords;
import dev.lancet.lance.TableLocation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows per second each column's last job computed, as the default task size needs it: kept in
 * this JVM as jobs end, read from the table's job records ({@link JobRecords#lastRate}) only for a
 * column no job of this JVM ran. A session backfilling the same table again pays no read.
 */
final class ColumnRates {
  /** Columns remembered at most; the least recently used goes first. */
  static final int MAX_COLUMNS = 1_024;

  private static final Map<String, Double> RATES =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Double> eldest) {
          return size() > MAX_COLUMNS;
        }
      };

  private ColumnRates() {}

  private static String key(TableLocation table, String column) {
    return table.uri() + "\u0000" + column;
  }

  /** The column's last measured rate, or 0 when no job of it computed rows. */
  static double of(TableLocation table, String column) {
    String key = key(table, column);
    synchronized (RATES) {
      Double known = RATES.get(key);
      if (known != null) {
        return known;
      }
    }
    double read = JobRecords.lastRate(table, column).map(BackfillJob::rowsPerSecond).orElse(0.0);
    synchronized (RATES) {
      RATES.putIfAbsent(key, read);
    }
    return read;
  }

  /** Remembers an ended job's rate, when it computed rows. */
  static void ended(TableLocation table, BackfillJob job) {
    if (job.rowsComputed() > 0 && job.rowsPerSecond() > 0) {
      synchronized (RATES) {
        RATES.put(key(table, job.column()), job.rowsPerSecond());
      }
    }
  }
}
