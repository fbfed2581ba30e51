package dev.lancet.backfill.plan;

import dev.lancet.lance.TableLocation;

/**
 * What every fragment of one backfill job shares, as sent to workers: once per work group, not once
 * per fragment ({@link WorkGroup}).
 *
 * @param table the table (its URI and Lance storage options)
 * @param version the table version the backfill planned on
 * @param column the column to compute
 * @param specJson the column's UDF spec, with the code identity the driver saw
 * @param batchSize rows per UDF batch
 * @param filter the rows to compute (Lance filter), or null for all
 * @param checkpoints whether finished batches are checkpointed (and earlier checkpoints reused)
 * @param checkpointIntervalMillis how often a fragment in progress checkpoints its finished batches
 * @param allowedPackages the {@code lancet.udf.allowed-packages} policy, checked again on the
 *     worker
 * @param allowedJars the {@code lancet.udf.allowed-jars} checksums, checked again on the worker
 * @param driverJava the driver's Java version; a worker of another major version refuses the job
 * @param jobId the job, whose cancellation the worker looks for before each batch
 * @param mayResume whether the column's last job did not succeed, so earlier checkpoints may exist
 *     for this work: only then (or on a retry) does the worker look for them
 */
public record JobContext(
    TableLocation table,
    long version,
    String column,
    String specJson,
    int batchSize,
    String filter,
    boolean checkpoints,
    long checkpointIntervalMillis,
    String allowedPackages,
    String allowedJars,
    String driverJava,
    String jobId,
    boolean mayResume) {

  /**
   * A builder, so the planner names each of the thirteen fields instead of passing them in a row.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link JobContext}; fields not set keep Java's defaults (null, 0, false). */
  public static final class Builder {
    private TableLocation table;
    private long version;
    private String column;
    private String specJson;
    private int batchSize;
    private String filter;
    private boolean checkpoints;
    private long checkpointIntervalMillis;
    private String allowedPackages;
    private String allowedJars;
    private String driverJava = Runtime.version().toString();
    private String jobId;
    private boolean mayResume;

    private Builder() {}

    /** Sets {@link JobContext#table()}. */
    public Builder table(TableLocation value) {
      table = value;
      return this;
    }

    /** Sets {@link JobContext#version()}. */
    public Builder version(long value) {
      version = value;
      return this;
    }

    /** Sets {@link JobContext#column()}. */
    public Builder column(String value) {
      column = value;
      return this;
    }

    /** Sets {@link JobContext#specJson()}. */
    public Builder specJson(String value) {
      specJson = value;
      return this;
    }

    /** Sets {@link JobContext#batchSize()}. */
    public Builder batchSize(int value) {
      batchSize = value;
      return this;
    }

    /** Sets {@link JobContext#filter()}. */
    public Builder filter(String value) {
      filter = value;
      return this;
    }

    /** Sets {@link JobContext#checkpoints()}. */
    public Builder checkpoints(boolean value) {
      checkpoints = value;
      return this;
    }

    /** Sets {@link JobContext#checkpointIntervalMillis()}. */
    public Builder checkpointIntervalMillis(long value) {
      checkpointIntervalMillis = value;
      return this;
    }

    /** Sets {@link JobContext#driverJava()} (default: this JVM's). */
    public Builder driverJava(String value) {
      driverJava = value;
      return this;
    }

    /** Sets {@link JobContext#allowedJars()}. */
    public Builder allowedJars(String value) {
      allowedJars = value;
      return this;
    }

    /** Sets {@link JobContext#allowedPackages()}. */
    public Builder allowedPackages(String value) {
      allowedPackages = value;
      return this;
    }

    /** Sets {@link JobContext#jobId()}. */
    public Builder jobId(String value) {
      jobId = value;
      return this;
    }

    /** Sets {@link JobContext#mayResume()}. */
    public Builder mayResume(boolean value) {
      mayResume = value;
      return this;
    }

    /** The context. */
    public JobContext build() {
      return new JobContext(
          table,
          version,
          column,
          specJson,
          batchSize,
          filter,
          checkpoints,
          checkpointIntervalMillis,
          allowedPackages,
          allowedJars,
          driverJava,
          jobId,
          mayResume);
    }
  }
}
