package dev.lancet.udf;

/** A UDF threw on one row. Carries the row's index in its batch and the input values it saw. */
public class UdfRowException extends UdfException {
  private final int rowInBatch;
  private final String inputValues;
  private final int attempts;

  public UdfRowException(String udfClass, int rowInBatch, String inputValues, Throwable cause) {
    this(udfClass, rowInBatch, inputValues, cause, 1);
  }

  public UdfRowException(
      String udfClass, int rowInBatch, String inputValues, Throwable cause, int attempts) {
    super(
        ErrorCode.LANCET_UDF_FAILED,
        "UDF "
            + udfClass
            + " failed with "
            + cause
            + " on input ("
            + inputValues
            + ")"
            + (attempts > 1 ? " after " + attempts + " attempts" : ""),
        cause);
    this.rowInBatch = rowInBatch;
    this.inputValues = inputValues;
    this.attempts = attempts;
  }

  /** How many times the UDF was called on the row. */
  public int attempts() {
    return attempts;
  }

  /** Index of the failing row within the batch passed to {@link ColumnUdf#compute}. */
  public int rowInBatch() {
    return rowInBatch;
  }

  /** The failing row's inputs, as {@code name=value, ...}. */
  public String inputValues() {
    return inputValues;
  }
}
