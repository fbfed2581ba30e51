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
  void aUdfWhoseInterfaceIsMissingNamesTheMissingClassNotItself() throws Exception {
    String udf = dev.lancet.udf.fixtures.NeedsAnInterface.class.getName();
    String hidden = dev.lancet.udf.fixtures.OtherLibrary.class.getName();
    ClassLoader parent = getClass().getClassLoader();
    // Defines the UDF itself (so its interface resolves here) and has no interface to give.
    ClassLoader withoutLibrary =
        new ClassLoader(parent) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(hidden)) {
              throw new ClassNotFoundException(name);
            }
            if (!name.equals(udf)) {
              return super.loadClass(name, resolve);
            }
            try (var in = parent.getResourceAsStream(name.replace('.', '/') + ".class")) {
              byte[] bytes = in.readAllBytes();
              return defineClass(name, bytes, 0, bytes.length);
            } catch (java.io.IOException e) {
              throw new ClassNotFoundException(name, e);
            }
          }
        };

    UdfException e =
        assertThrows(UdfException.class, () -> UdfInspector.loadClass(udf, withoutLibrary));

    assertEquals(
        "UDF class '" + udf + "' needs class '" + hidden + "', which is not on the classpath",
        e.getMessage());
    assertEquals(ErrorCode.LANCET_UDF_NOT_FOUND, e.code());
  }

  @Test
  void aSparkUdfWithoutSparksClassesSaysWhereItCanRun() {
    assertEquals(
        "UDF class 'com.acme.Tagger' needs class 'org.apache.spark.sql.api.java.UDF2', which is"
            + " not on the classpath; a Spark UDF (UDF1 ... UDF22) needs Spark's classes where it"
            + " runs: run it with engine = 'spark' (Spark's executors) or Ray in the driver's JVM,"
            + " or ship spark-sql-api's jar with the UDF",
        UdfInspector.missingDependency("com.acme.Tagger", "org/apache/spark/sql/api/java/UDF2"));
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

  @Test
  void anOptionKeyNeitherLancetsNorTheUdfsIsRefusedWithTheClosestKey() {
    UdfException typo =
        assertThrows(
            UdfException.class,
            () -> UdfInspector.inspect(Udfs.Plain.class, Map.of("batchsize", "10")));
    assertEquals(
        "UDF dev.lancet.udf.fixtures.Udfs$Plain: unknown option 'batchsize' (did you mean"
            + " 'batch_size'?); the UDF takes no options of its own, Lancet's are [batch_size,"
            + " max_error_fraction, max_in_flight, memory, num_cpus, num_gpus, on_error,"
            + " retry_attempts, retry_backoff_ms, retry_message, retry_on, retry_then, timeout_ms]",
        typo.getMessage());
    UdfException undeclared =
        assertThrows(
            UdfException.class, () -> UdfInspector.inspect(Udfs.Area.class, Map.of("mdoel", "x")));
    assertTrue(
        undeclared
            .getMessage()
            .contains(
                "unknown option 'mdoel' (did you mean 'model'?); its"
                    + " options are [m, model, a]"),
        undeclared.getMessage());
    // Declared keys, Lancet's keys, and any key for an undeclared options constructor are fine.
    UdfInspector.inspect(Udfs.Area.class, Map.of("model", "x"));
    UdfInspector.inspect(Udfs.Plain.class, Map.of("batch_size", "10"));
    UdfInspector.inspect(Udfs.AnyOptions.class, Map.of("anything", "goes"));
  }

  @Test
  void aConstructorThatFailsIsReportedAtRegistrationInOneLine() {
    UdfSpec spec = UdfInspector.inspect(Udfs.FailingConstructor.class, Map.of());
    UdfException e =
        assertThrows(
            UdfException.class,
            () -> ColumnUdfs.checkConstructs(spec, Udfs.class.getClassLoader()));
    assertEquals(
        "UDF dev.lancet.udf.fixtures.Udfs$FailingConstructor: constructor threw"
            + " java.lang.IllegalStateException: model file /models/m.bin not found",
        e.getMessage());
    ColumnUdfs.checkConstructs(
        UdfInspector.inspect(Udfs.AnyOptions.class, Map.of("k", "v")), Udfs.class.getClassLoader());
  }
}
