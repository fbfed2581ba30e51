package dev.lancet.udf;

/**
 * A UDF could not be registered or run. The message always names what is wrong and where (class,
 * parameter, column or row), so callers show it to users as it is.
 */
public class UdfException extends RuntimeException {
  public UdfException(String message) {
    super(message);
  }

  public UdfException(String message, Throwable cause) {
    super(message, cause);
  }
}
