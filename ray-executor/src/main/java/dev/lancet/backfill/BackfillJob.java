package dev.lancet.backfill;

import java.util.List;

/**
 * One backfill job, as kept in the table's {@code _lancet/jobs} Lance table.
 *
 * @param jobId the job
 * @param column the column
 * @param filter the filter, or null
 * @param udfVersion the UDF version it computes
 * @param readVersion the table version it planned on
 * @param status where it is
 * @param fragmentsDone fragments finished (computed, committed or up to date)
 * @param fragmentsTotal fragments in the job
 * @param rowsComputed rows computed and committed
 * @param rowsSkipped rows up to date or taken from checkpoints
 * @param rowsFailed rows whose UDF call failed (null in the column)
 * @param rowsPerSecond rows computed per second
 * @param tableVersion the table version after its last commit
 * @param startedAt start, epoch milliseconds
 * @param finishedAt end, epoch milliseconds (0 while running)
 * @param error the failure's message, or null
 * @param rowErrors samples of failed rows
 * @param code the code it ran: the UDF jars as {@code <name> sha256:<checksum>}, and in cluster
 *     mode the workers' package ({@code workers <uri>}); empty when the UDF is on the class path
 * @param fragmentsByNode fragments computed, by Ray node
 * @param limit a pilot run's LIMIT (the most rows it computes), or 0 for a full run
 * @param peakTaskMemoryBytes the most Arrow memory one task held at once (its UDF's results and the
 *     column file it wrote; not the scan's input batches or the UDF's own heap), or 0 if unknown
 */
public record BackfillJob(
    String jobId,
    String column,
    String filter,
    String udfVersion,
    long readVersion,
    JobStatus status,
    int fragmentsDone,
    int fragmentsTotal,
    long rowsComputed,
    long rowsSkipped,
    long rowsFailed,
    double rowsPerSecond,
    long tableVersion,
    long startedAt,
    long finishedAt,
    String error,
    List<RowError> rowErrors,
    List<String> code,
    java.util.Map<String, Integer> fragmentsByNode,
    long limit,
    long peakTaskMemoryBytes) {

  public BackfillJob {
    rowErrors = rowErrors == null ? List.of() : List.copyOf(rowErrors);
    code = code == null ? List.of() : List.copyOf(code);
    fragmentsByNode =
        fragmentsByNode == null ? java.util.Map.of() : java.util.Map.copyOf(fragmentsByNode);
  }

  /** The same job in another status. */
  public BackfillJob withStatus(JobStatus newStatus) {
    return toBuilder().status(newStatus).build();
  }

  /** A builder holding this backfillJob's values, to change some. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.jobId = jobId;
    b.column = column;
    b.filter = filter;
    b.udfVersion = udfVersion;
    b.readVersion = readVersion;
    b.status = status;
    b.fragmentsDone = fragmentsDone;
    b.fragmentsTotal = fragmentsTotal;
    b.rowsComputed = rowsComputed;
    b.rowsSkipped = rowsSkipped;
    b.rowsFailed = rowsFailed;
    b.rowsPerSecond = rowsPerSecond;
    b.tableVersion = tableVersion;
    b.startedAt = startedAt;
    b.finishedAt = finishedAt;
    b.error = error;
    b.rowErrors = rowErrors;
    b.code = code;
    b.fragmentsByNode = fragmentsByNode;
    b.limit = limit;
    b.peakTaskMemoryBytes = peakTaskMemoryBytes;
    return b;
  }

  /** Builds a {@link BackfillJob} one value at a time; unset values are null, zero or false. */
  public static final class Builder {
    private String jobId;
    private String column;
    private String filter;
    private String udfVersion;
    private long readVersion;
    private JobStatus status;
    private int fragmentsDone;
    private int fragmentsTotal;
    private long rowsComputed;
    private long rowsSkipped;
    private long rowsFailed;
    private double rowsPerSecond;
    private long tableVersion;
    private long startedAt;
    private long finishedAt;
    private String error;
    private List<RowError> rowErrors;
    private List<String> code;
    private java.util.Map<String, Integer> fragmentsByNode;
    private long limit;
    private long peakTaskMemoryBytes;

    /** Sets {@code jobId}. */
    public Builder jobId(String value) {
      this.jobId = value;
      return this;
    }

    /** Sets {@code column}. */
    public Builder column(String value) {
      this.column = value;
      return this;
    }

    /** Sets {@code filter}. */
    public Builder filter(String value) {
      this.filter = value;
      return this;
    }

    /** Sets {@code udfVersion}. */
    public Builder udfVersion(String value) {
      this.udfVersion = value;
      return this;
    }

    /** Sets {@code readVersion}. */
    public Builder readVersion(long value) {
      this.readVersion = value;
      return this;
    }

    /** Sets {@code status}. */
    public Builder status(JobStatus value) {
      this.status = value;
      return this;
    }

    /** Sets {@code fragmentsDone}. */
    public Builder fragmentsDone(int value) {
      this.fragmentsDone = value;
      return this;
    }

    /** Sets {@code fragmentsTotal}. */
    public Builder fragmentsTotal(int value) {
      this.fragmentsTotal = value;
      return this;
    }

    /** Sets {@code rowsComputed}. */
    public Builder rowsComputed(long value) {
      this.rowsComputed = value;
      return this;
    }

    /** Sets {@code rowsSkipped}. */
    public Builder rowsSkipped(long value) {
      this.rowsSkipped = value;
      return this;
    }

    /** Sets {@code rowsFailed}. */
    public Builder rowsFailed(long value) {
      this.rowsFailed = value;
      return this;
    }

    /** Sets {@code rowsPerSecond}. */
    public Builder rowsPerSecond(double value) {
      this.rowsPerSecond = value;
      return this;
    }

    /** Sets {@code tableVersion}. */
    public Builder tableVersion(long value) {
      this.tableVersion = value;
      return this;
    }

    /** Sets {@code startedAt}. */
    public Builder startedAt(long value) {
      this.startedAt = value;
      return this;
    }

    /** Sets {@code finishedAt}. */
    public Builder finishedAt(long value) {
      this.finishedAt = value;
      return this;
    }

    /** Sets {@code error}. */
    public Builder error(String value) {
      this.error = value;
      return this;
    }

    /** Sets {@code rowErrors}. */
    public Builder rowErrors(List<RowError> value) {
      this.rowErrors = value;
      return this;
    }

    /** Sets {@code code}. */
    public Builder code(List<String> value) {
      this.code = value;
      return this;
    }

    /** Sets {@code fragmentsByNode}. */
    public Builder fragmentsByNode(java.util.Map<String, Integer> value) {
      this.fragmentsByNode = value;
      return this;
    }

    /** Sets {@code limit}. */
    public Builder limit(long value) {
      this.limit = value;
      return this;
    }

    /** Sets {@code peakTaskMemoryBytes}. */
    public Builder peakTaskMemoryBytes(long value) {
      this.peakTaskMemoryBytes = value;
      return this;
    }

    /** The backfillJob. */
    public BackfillJob build() {
      return new BackfillJob(
          jobId,
          column,
          filter,
          udfVersion,
          readVersion,
          status,
          fragmentsDone,
          fragmentsTotal,
          rowsComputed,
          rowsSkipped,
          rowsFailed,
          rowsPerSecond,
          tableVersion,
          startedAt,
          finishedAt,
          error,
          rowErrors,
          code,
          fragmentsByNode,
          limit,
          peakTaskMemoryBytes);
    }
  }
}
