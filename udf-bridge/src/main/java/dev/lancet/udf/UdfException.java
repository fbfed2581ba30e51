package dev.lancet.udf;

/**
 * A UDF could not be registered or run. The message always names what is wrong and where (class,
 * parameter, column or row), so callers show it to users as it is. Without a code it is {@link
 * ErrorCode#LANCET_UDF_INVALID}: most are found when a UDF is registered or loaded.
 */
public class UdfException extends LancetException {
  public UdfException(String message) {
    this(ErrorCode.LANCET_UDF_INVALID, message);
  }

  public UdfException(String message, Throwable cause) {
    this(ErrorCode.LANCET_UDF_INVALID, message, cause);
  }

  public UdfException(ErrorCode code, String message) {
    super(code, message);
  }

  public UdfException(ErrorCode code, String message, Throwable cause) {
    super(code, cause, message);
  }
}
