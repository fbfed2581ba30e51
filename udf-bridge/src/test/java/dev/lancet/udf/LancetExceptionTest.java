package dev.lancet.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lancet's exception root: formatting, {@code check}, codes and their SQLSTATEs. */
class LancetExceptionTest {
  @Test
  void argumentsAreFormattedAndAMessageWithoutArgumentsIsTakenAsItIs() {
    LancetException e =
        new LancetException(ErrorCode.LANCET_INVALID_OPTION, "option '%s' got %d", "batch_size", 0);
    assertEquals("option 'batch_size' got 0", e.getMessage());
    assertEquals(ErrorCode.LANCET_INVALID_OPTION, e.code());
    assertEquals("22023", e.sqlState());
    assertEquals("[LANCET_INVALID_OPTION] option 'batch_size' got 0", e.userMessage());

    LancetException literal = new LancetException(ErrorCode.LANCET_INVALID_FILTER, "x LIKE 'a%'");
    assertEquals("x LIKE 'a%'", literal.getMessage());
  }

  @Test
  void theCauseIsKept() {
    IOException cause = new IOException("disk full");
    LancetException e =
        new LancetException(
            ErrorCode.LANCET_BACKFILL_FAILED, cause, "writing %s failed", "f.lance");
    assertSame(cause, e.getCause());
    assertEquals("writing f.lance failed", e.getMessage());
  }

  @Test
  void checkThrowsOnlyWhenTheConditionFails() {
    LancetException.check(true, ErrorCode.LANCET_INVALID_OPTION, "never %s", "thrown");
    LancetException e =
        assertThrows(
            LancetException.class,
            () ->
                LancetException.check(
                    false, ErrorCode.LANCET_INVALID_OPTION, "'%s' must be positive", "memory"));
    assertEquals("'memory' must be positive", e.getMessage());
    assertEquals(ErrorCode.LANCET_INVALID_OPTION, e.code());
  }

  @Test
  void subtypesHaveADefaultCodeAndTakeAMoreSpecificOne() {
    assertEquals(ErrorCode.LANCET_UDF_INVALID, new UdfException("no call method").code());
    assertEquals(
        ErrorCode.LANCET_UDF_NOT_FOUND,
        new UdfException(ErrorCode.LANCET_UDF_NOT_FOUND, "UDF class 'X' was not found").code());
    UdfRowException row =
        new UdfRowException("com.acme.Area", 3, "x=1, y=2", new IllegalStateException("boom"), 2);
    assertEquals(ErrorCode.LANCET_UDF_FAILED, row.code());
    assertEquals(
        "UDF com.acme.Area failed with java.lang.IllegalStateException: boom on input (x=1, y=2)"
            + " after 2 attempts",
        row.getMessage());
  }

  @Test
  void theCodeIsFoundThroughWrappingExceptions() {
    RuntimeException wrapped =
        new RuntimeException(
            "ray task failed", new UdfException(ErrorCode.LANCET_UDF_NOT_ALLOWED, "outside"));
    assertEquals(
        ErrorCode.LANCET_UDF_NOT_ALLOWED,
        LancetException.codeOf(wrapped, ErrorCode.LANCET_BACKFILL_FAILED));
    assertEquals(
        ErrorCode.LANCET_BACKFILL_FAILED,
        LancetException.codeOf(new IOException("x"), ErrorCode.LANCET_BACKFILL_FAILED));
  }

  @Test
  void codesAreLancetNamedAndHaveFiveCharacterSqlStates() {
    Set<String> names = new HashSet<>();
    for (ErrorCode code : ErrorCode.values()) {
      assertTrue(code.name().startsWith("LANCET_"), code.name());
      assertTrue(code.sqlState().matches("[0-9A-Z]{5}"), code + ": " + code.sqlState());
      assertTrue(names.add(code.name()));
    }
  }

  @Test
  void policyErrorsCarryTheirCodes() {
    assertEquals(
        ErrorCode.LANCET_INVALID_OPTION,
        assertThrows(UdfException.class, () -> OnError.parse("maybe")).code());
  }
}
