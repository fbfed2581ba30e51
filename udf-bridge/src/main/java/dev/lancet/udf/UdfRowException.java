package dev.lancet.udf;

/** A UDF threw on one row. Carries the row's index in its batch and the input values it saw. */
public class UdfRowException extends UdfException {
  private final int rowInBatch;
  private final String inputValues;

  public UdfRowException(String udfClass, int rowInBatch, String inputValues, Throwable cause) {
    super("UDF " + udfClass + " failed with " + cause + " on input (" + inputValues + ")", cause);
    this.rowInBatch = rowInBatch;
    this.inputValues = inputValues;
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
