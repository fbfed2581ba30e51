package dev.lancet.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.udf.fixtures.Udfs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UdfInspectorTest {
  @Test
  void scalarUdfTakesInputsFromParameterNamesAndTypeFromReturnType() {
    UdfSpec spec = UdfInspector.inspect(Udfs.Area.class, Map.of());
    assertEquals(Udfs.Area.class.getName(), spec.className());
    assertEquals(UdfKind.SCALAR, spec.kind());
    assertEquals(List.of("x", "y"), spec.inputs());
    assertEquals("bigint", spec.outputType());
    assertEquals(32, spec.version().length());
    assertTrue(spec.nullable());
    assertEquals(UdfResources.DEFAULT, spec.resources());
    assertEquals(ErrorPolicy.FAIL.nullOnError(), spec.errorPolicy().nullOnError());
  }

  @Test
  void inputsOverrideMapsParametersToOtherColumns() {
    assertEquals(
        List.of("w", "h"),
        UdfInspector.inspect(Udfs.Area.class, Map.of(), List.of("w", "h")).inputs());
    UdfException e =
        assertThrows(
            UdfException.class,
            () -> UdfInspector.inspect(Udfs.Area.class, Map.of(), List.of("w")));
    assertTrue(
        e.getMessage().endsWith("takes 2 input(s) [x, y] but INPUTS names 1 [w]"), e.getMessage());
  }

  @Test
  void versionIsStableAndChangesWithOptionsInputsAndClass() {
    UdfSpec a = UdfInspector.inspect(Udfs.Area.class, Map.of("m", "1"));
    assertEquals(a.version(), UdfInspector.inspect(Udfs.Area.class, Map.of("m", "1")).version());
    assertNotEquals(a.version(), UdfInspector.inspect(Udfs.Area.class, Map.of("m", "2")).version());
    assertNotEquals(
        a.version(),
        UdfInspector.inspect(Udfs.Area.class, Map.of("m", "1"), List.of("y", "x")).version());
    assertNotEquals(
        a.version(), UdfInspector.inspect(Udfs.Widen.class, Map.of("m", "1")).version());
  }

  @Test
  void specRoundTripsThroughJsonExactly() {
    UdfSpec spec = UdfInspector.inspect(Udfs.Area.class, Map.of("model", "small", "a", "b"));
    String json = spec.toJson();
    assertEquals(spec, UdfSpec.fromJson(json));
    assertEquals(json, UdfSpec.fromJson(json).toJson(), "stable key order");
    assertTrue(json.contains("\"options\":{\"a\":\"b\",\"model\":\"small\"}"), json);
  }

  @Test
  void corruptSpecJsonIsReportedAsSuch() {
    UdfException e = assertThrows(UdfException.class, () -> UdfSpec.fromJson("{not json"));
    assertTrue(
        e.getMessage().startsWith("not a valid Lancet UDF definition (lancet.udf)"),
        e.getMessage());
  }

  @Test
  void eachBadClassGetsAMessageNamingClassAndProblem() {
    assertMessage(
        "UDF class 'com.acme.Nope' was not found on the classpath",
        () ->
            UdfInspector.inspect(
                "com.acme.Nope", getClass().getClassLoader(), UdfRegistration.DEFAULT));
    assertMessage(
        Udfs.NoCall.class.getName() + " has no public 'call' method",
        () -> UdfInspector.inspect(Udfs.NoCall.class, Map.of()));
    assertMessage(
        Udfs.TwoCalls.class.getName() + " has 2 public 'call' methods; it must have exactly one",
        () -> UdfInspector.inspect(Udfs.TwoCalls.class, Map.of()));
    assertMessage(
        "parameter 'when' has type java.util.Date, which is not supported",
        () -> UdfInspector.inspect(Udfs.BadParameter.class, Map.of()));
    assertMessage(
        "call(...) return value has type void, which is not supported",
        () -> UdfInspector.inspect(Udfs.VoidCall.class, Map.of()));
    assertMessage(
        Udfs.NoDefaultConstructor.class.getName()
            + " needs a public constructor taking no arguments or a Map<String, String> of options",
        () -> UdfInspector.inspect(Udfs.NoDefaultConstructor.class, Map.of()));
  }

  private static void assertMessage(
      String expected, org.junit.jupiter.api.function.Executable call) {
    UdfException e = assertThrows(UdfException.class, call);
    assertTrue(
        e.getMessage().contains(expected),
        "expected: " + expected + "\nbut was: " + e.getMessage());
  }
}
