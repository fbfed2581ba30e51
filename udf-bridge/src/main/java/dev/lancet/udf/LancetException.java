package dev.lancet.udf;

import java.util.Locale;
import java.util.Objects;

/**
 * The root of Lancet's errors: unchecked, with a stable {@link ErrorCode}. The message names what
 * is wrong and where (table, column, class, row address and inputs) and, where there is one, the
 * next step; it does not carry the code, so a message can be wrapped into another's ("column
 * 'area': " + cause's message). Where a user sees it, it is shown as {@link #userMessage()}: {@code
 * [CODE] message}.
 *
 * <p>Modelled on Iceberg's {@code ValidationException}: the message is a {@link String#format}
 * pattern when arguments are given, and taken as it is when none are (so a message holding a {@code
 * %} needs no escaping).
 */
public class LancetException extends RuntimeException {
  private final ErrorCode code;

  public LancetException(ErrorCode code, String fmt, Object... args) {
    super(format(fmt, args));
    this.code = Objects.requireNonNull(code, "code");
  }

  public LancetException(ErrorCode code, Throwable cause, String fmt, Object... args) {
    super(format(fmt, args), cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * Throws a {@code LancetException} with {@code code} and the formatted message unless {@code ok}.
   */
  public static void check(boolean ok, ErrorCode code, String fmt, Object... args) {
    if (!ok) {
      throw new LancetException(code, fmt, args);
    }
  }

  /** The error's stable code. */
  public ErrorCode code() {
    return code;
  }

  /** The code's SQLSTATE. */
  public String sqlState() {
    return code.sqlState();
  }

  /** The message as a user sees it: {@code [CODE] message}. */
  public String userMessage() {
    return render(code, getMessage());
  }

  /** {@code [CODE] message}, the form every client shows. */
  public static String render(ErrorCode code, String message) {
    return "[" + code.name() + "] " + message;
  }

  /**
   * The code of the first {@code LancetException} in {@code t}'s cause chain (Ray and Spark wrap
   * errors), or {@code fallback} when there is none.
   */
  public static ErrorCode codeOf(Throwable t, ErrorCode fallback) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof LancetException e) {
        return e.code();
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return fallback;
  }

  private static String format(String fmt, Object... args) {
    return args == null || args.length == 0 ? fmt : String.format(Locale.ROOT, fmt, args);
  }
}
