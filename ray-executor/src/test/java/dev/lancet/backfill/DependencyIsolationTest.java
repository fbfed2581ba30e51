package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.lance.TableLocation;
import dev.lancet.testing.BackfillMain;
import dev.lancet.testing.ChildJvms;
import dev.lancet.testing.ExternalJars;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.udf.PinnedJar;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfRegistration;
import dev.lancet.udf.UdfSpec;
import java.lang.reflect.InvocationTargetException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A UDF built against a version of a library the engine also carries (Guava 33.3, Jackson 2.15,
 * commons-lang3 3.18 here) runs with its own version, given with it as a user gives jars: its code
 * is pinned at registration (the jars published to the table's jar store) and runs in a class
 * loader of its own, on every backfill, from any session, with or without the jars.
 */
class DependencyIsolationTest {
  @TempDir Path dir;
  private String uri;

  @BeforeEach
  void table() {
    uri = LanceTestTables.create(dir, "t", 2, 10);
  }

  /** A scalar UDF of {@code id} returning {@code body} (a String expression). */
  private static Map<String, String> udf(String className, String body) {
    String pkg = className.substring(0, className.lastIndexOf('.'));
    String simple = className.substring(className.lastIndexOf('.') + 1);
    return Map.of(
        className,
        "package "
            + pkg
            + ";\n"
            + "public class "
            + simple
            + " {\n"
            + "  public String call(int id) throws Exception {\n"
            + "    return "
            + body
            + ";\n"
            + "  }\n"
            + "  static String jarOf(Class<?> c) {\n"
            + "    String p = c.getProtectionDomain().getCodeSource().getLocation().getPath();\n"
            + "    // the jar's name, without the checksum prefix of Lancet's jar cache\n"
            + "    return p.substring(p.lastIndexOf('/') + 1).replaceFirst(\"^[0-9a-f]{64}-\","
            + " \"\");\n"
            + "  }\n"
            + "}\n");
  }

  /** Registers {@code column} as a session holding {@code jars} does (SQL's ADD COLUMN). */
  private void register(String column, String className, Path... jars) throws Exception {
    try (URLClassLoader session = ExternalJars.session(jars)) {
      PinnedCode.Pinned code = PinnedCode.pin(new TableLocation(uri, Map.of()), className, session);
      UdfSpec spec =
          UdfInspector.inspect(
                  className, code.loader(), UdfRegistration.of(List.of("id"), "string", Map.of()))
              .withJars(code.jars());
      VirtualColumns.add(uri, Map.of(), Map.of(column, spec), session, "t");
    }
  }

  private Map<Integer, Object> values(String column) {
    Map<Integer, Object> out = new java.util.TreeMap<>();
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", column))) {
      out.put((Integer) row.get("id"), row.get(column));
    }
    return out;
  }

  private Path legacyGuavaUdf() {
    return ExternalJars.compile(
        dir.resolve("legacy/describe.jar"),
        udf(
            "com.acme.legacy.Describe",
            "com.google.common.base.Objects.toStringHelper(\"row\").add(\"id\", id).toString()"),
        List.of(ExternalJars.userDep("guava-18.0.jar")));
  }

  @Test
  void aUdfBuiltAgainstAnOlderGuavaThanTheEnginesRunsWithItsOwn() throws Exception {
    Path udfJar = legacyGuavaUdf();
    Path guava18 = ExternalJars.userDep("guava-18.0.jar");
    try (URLClassLoader session = ExternalJars.session(udfJar, guava18)) {
      // What a session's own loader (the engine's classes first) does with it: the engine's Guava
      // 33 has no Objects.toStringHelper.
      Object udf =
          session.loadClass("com.acme.legacy.Describe").getDeclaredConstructor().newInstance();
      InvocationTargetException before =
          assertThrows(
              InvocationTargetException.class,
              () -> udf.getClass().getMethod("call", int.class).invoke(udf, 3));
      assertInstanceOf(NoSuchMethodError.class, before.getCause());
    }
    register("described", "com.acme.legacy.Describe", udfJar, guava18);

    BackfillResult result = Backfill.of(uri, "described").run();

    assertEquals(20, result.rowsComputed());
    assertEquals(0, result.rowsFailed());
    values("described").forEach((id, v) -> assertEquals("row{id=" + id + "}", v, "id " + id));
  }

  @Test
  void twoColumnsNeedingDifferentVersionsOfOneLibraryBackfillInOneTable() throws Exception {
    Path guava18 = ExternalJars.userDep("guava-18.0.jar");
    Path guava35 = ExternalJars.userDep("guava-33.5.0-jre.jar");
    register("described", "com.acme.legacy.Describe", legacyGuavaUdf(), guava18);
    Path modern =
        ExternalJars.compile(
            dir.resolve("modern/modern.jar"),
            udf("com.acme.modern.GuavaJar", "jarOf(com.google.common.base.Strings.class)"),
            List.of(guava35));
    register("guava", "com.acme.modern.GuavaJar", modern, guava35);

    Backfill.of(uri, "described").run();
    Backfill.of(uri, "guava").run();

    values("described").forEach((id, v) -> assertEquals("row{id=" + id + "}", v));
    values("guava").forEach((id, v) -> assertEquals("guava-33.5.0-jre.jar", v));
  }

  @Test
  void jacksonAndCommonsLangOlderAndNewerThanTheEnginesRunWithTheirOwn() throws Exception {
    Map<String, List<String>> libraries =
        Map.of(
            "2.12.7",
            List.of(
                "jackson-databind-2.12.7.jar",
                "jackson-core-2.12.7.jar",
                "jackson-annotations-2.12.7.jar"),
            "2.21.3",
            List.of(
                "jackson-databind-2.21.3.jar",
                "jackson-core-2.21.3.jar",
                "jackson-annotations-2.21.jar"));
    int n = 0;
    for (Map.Entry<String, List<String>> e : libraries.entrySet()) {
      List<Path> deps = e.getValue().stream().map(ExternalJars::userDep).toList();
      String cls = "com.acme.json" + n + ".Json";
      Path jar =
          ExternalJars.compile(
              dir.resolve("json" + n + "/json.jar"),
              udf(
                  cls,
                  "jarOf(com.fasterxml.jackson.databind.ObjectMapper.class) + \" \" + new"
                      + " com.fasterxml.jackson.databind.ObjectMapper()"
                      + ".writeValueAsString(java.util.Map.of(\"id\", id))"),
              deps);
      java.util.List<Path> all = new java.util.ArrayList<>(List.of(jar));
      all.addAll(deps);
      register("json" + n, cls, all.toArray(Path[]::new));
      Backfill.of(uri, "json" + n).run();
      String version = e.getKey();
      values("json" + n)
          .forEach(
              (id, v) ->
                  assertEquals(
                      "jackson-databind-" + version + ".jar {\"id\":" + id + "}", v, version));
      n++;
    }
    for (String version : List.of("3.7", "3.22.0")) {
      Path lang = ExternalJars.userDep("commons-lang3-" + version + ".jar");
      String cls = "com.acme.lang" + n + ".Lang";
      Path jar =
          ExternalJars.compile(
              dir.resolve("lang" + n + "/lang.jar"),
              udf(
                  cls,
                  "jarOf(org.apache.commons.lang3.StringUtils.class) + \" \""
                      + " + org.apache.commons.lang3.StringUtils.leftPad(\"\" + id, 3, '0')"),
              List.of(lang));
      register("lang" + n, cls, jar, lang);
      Backfill.of(uri, "lang" + n).run();
      values("lang" + n)
          .forEach(
              (id, v) ->
                  assertEquals(
                      "commons-lang3-" + version + ".jar " + String.format("%03d", id), v));
      n++;
    }
  }

  @Test
  void aJvmWithoutTheJarsBackfillsThePinnedCodeAndAMissingJarFailsNamingItsChecksum()
      throws Exception {
    Path udfJar = legacyGuavaUdf();
    register(
        "described", "com.acme.legacy.Describe", udfJar, ExternalJars.userDep("guava-18.0.jar"));
    UdfSpec spec = VirtualColumns.list(uri, Map.of()).get("described");
    assertEquals(
        List.of("describe.jar", "guava-18.0.jar"),
        spec.jars().stream().map(PinnedJar::name).toList(),
        "the jar set is recorded");

    // Another JVM (its own jar cache), whose class path has neither jar: a colleague's session.
    Path log = dir.resolve("child.log");
    Process child =
        ChildJvms.start(
            BackfillMain.class,
            List.of("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp1"))),
            List.of(uri, "described", "8"),
            log);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, child.exitValue(), Files.readString(log));
    values("described").forEach((id, v) -> assertEquals("row{id=" + id + "}", v));

    // The jars gone from the table's jar store (and from the next JVM's cache): one line, the
    // checksum, nothing written.
    LanceTestTables.append(uri, 20, 1, 5);
    long version = LanceTestReads.version(uri);
    deleteRecursively(dir.resolve("t.lance/_lancet/code"));
    Process missing =
        ChildJvms.start(
            BackfillMain.class,
            List.of("-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp2"))),
            List.of(uri, "described", "8"),
            log);
    assertTrue(missing.waitFor(120, TimeUnit.SECONDS));
    assertNotEquals(0, missing.exitValue());
    String out = Files.readString(log);
    String sha = spec.jars().get(0).sha256();
    assertTrue(
        out.lines().anyMatch(l -> l.contains(sha) && l.contains("describe.jar")),
        "a line names the missing jar and its checksum: " + out);
    assertEquals(version, LanceTestReads.version(uri), "nothing written");
    assertNull(values("described").get(20), "the new rows stay uncomputed");
  }

  @Test
  void columnsAndJobsWithTheSameJarsShareOneLoaderSoANativeLibraryLoadsOncePerJvm()
      throws Exception {
    // Its static initializer stands for System.load of a native library: a JVM binds a native
    // library to the first class loader that loads it, so it must run once per JVM.
    Path jar =
        ExternalJars.compile(
            dir.resolve("native/native.jar"),
            Map.of(
                "com.acme.nat.Native",
                "package com.acme.nat; public class Native {\n"
                    + "  static {\n"
                    + "    System.setProperty(\"lancet.test.native.loads\",\n"
                    + "        String.valueOf(Integer.getInteger(\"lancet.test.native.loads\", 0) +"
                    + " 1)); }\n"
                    + "  public String call(int id) { return \"n\" + id; }\n"
                    + "}\n"));
    System.clearProperty("lancet.test.native.loads");
    register("first", "com.acme.nat.Native", jar);
    register("second", "com.acme.nat.Native", jar);

    Backfill.of(uri, "first").run();
    Backfill.of(uri, "second").run();
    LanceTestTables.append(uri, 20, 1, 5);
    Backfill.of(uri, "first").run(); // a second job in a row

    assertEquals("1", System.getProperty("lancet.test.native.loads"), "initialized once");
    values("second").forEach((id, v) -> assertEquals(id < 20 ? "n" + id : null, v));
    assertEquals("n22", values("first").get(22));
  }

  @Test
  void aRegistrationRewrittenToAnotherClassAndJarIsRefusedUnderAllowedJars() throws Exception {
    Path udfJar = legacyGuavaUdf();
    Path guava18 = ExternalJars.userDep("guava-18.0.jar");
    register("described", "com.acme.legacy.Describe", udfJar, guava18);
    UdfSpec approved = VirtualColumns.list(uri, Map.of()).get("described");
    String allowed = String.join(",", approved.jars().stream().map(PinnedJar::sha256).toList());

    // Another writer of the table points the column at its own class and jar (published too).
    Path evil =
        ExternalJars.compile(
            dir.resolve("evil/evil.jar"),
            Map.of(
                "com.acme.legacy.Evil",
                "package com.acme.legacy; public class Evil {\n"
                    + "  static { System.setProperty(\"lancet.test.evil\", \"ran\"); }\n"
                    + "  public String call(int id) { return \"owned\"; }\n"
                    + "}\n"));
    try (URLClassLoader session = ExternalJars.session(evil)) {
      PinnedCode.Pinned code =
          PinnedCode.pin(new TableLocation(uri, Map.of()), "com.acme.legacy.Evil", session);
      UdfSpec rewritten =
          UdfInspector.inspect(
                  "com.acme.legacy.Evil",
                  code.loader(),
                  UdfRegistration.of(List.of("id"), "string", Map.of()))
              .withJars(code.jars());
      VirtualColumns.replace(uri, Map.of(), "described", rewritten, session);
    }
    System.clearProperty("lancet.test.evil");
    long version = LanceTestReads.version(uri);

    dev.lancet.udf.UdfException refused =
        assertThrows(
            dev.lancet.udf.UdfException.class,
            () ->
                Backfill.of(uri, "described")
                    .classPolicy(dev.lancet.udf.UdfClassPolicy.parse(null, allowed))
                    .run());

    assertEquals(dev.lancet.udf.ErrorCode.LANCET_UDF_NOT_ALLOWED, refused.code());
    assertTrue(refused.getMessage().startsWith("UDF jar evil.jar (sha256 "), refused.getMessage());
    assertTrue(
        refused
            .getMessage()
            .endsWith("is outside lancet.udf.allowed-jars; none of its classes was loaded"));
    assertNull(System.getProperty("lancet.test.evil"), "none of its code ran");
    assertEquals(version, LanceTestReads.version(uri), "the table is unchanged");
  }

  private static void deleteRecursively(Path p) throws Exception {
    try (var files = Files.walk(p)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
