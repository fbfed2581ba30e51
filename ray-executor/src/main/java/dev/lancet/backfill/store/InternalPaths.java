package dev.lancet.backfill.store;

import dev.lancet.lance.DataFiles;
import dev.lancet.lance.TableLocation;

/** Where Lancet keeps what it knows beside a user's table: under {@code <table>/_lancet/}, once. */
public enum InternalPaths {
  /** Column state ({@link ColumnState}). */
  STATE("state"),
  /** Failed rows ({@link ErrorRecords}). */
  ERRORS("errors"),
  /** Users' UDF jars ({@link JarStore}). */
  CODE("code"),
  /** Job records ({@link JobRecords}). */
  JOBS("jobs"),
  /** Heartbeats and cancel requests ({@link JobSignals}). */
  SIGNALS("signals"),
  /** Checkpoints of fragments in progress, one folder per column. */
  CHECKPOINTS("checkpoints");

  private final String name;

  InternalPaths(String name) {
    this.name = name;
  }

  /** Its URI under the table {@code datasetUri}. */
  public String under(String datasetUri) {
    return DataFiles.underTable(datasetUri, "_lancet/" + name);
  }

  /** The folder of one column's checkpoints under the table {@code datasetUri}. */
  public static String checkpointsOf(String datasetUri, String column) {
    return DataFiles.underTable(
        CHECKPOINTS.under(datasetUri),
        java.net.URLEncoder.encode(column, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Its location under {@code table}, opened with the table's storage options. */
  public TableLocation under(TableLocation table) {
    return new TableLocation(under(table.uri()), table.storageOptions());
  }
}
