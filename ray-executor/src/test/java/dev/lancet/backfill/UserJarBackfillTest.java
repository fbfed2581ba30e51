package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.ExternalJars;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.udf.UdfClassPolicy;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfRegistration;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UDFs from a user's own jar, compiled outside the build and loadable only through a class loader
 * of its own (as {@code ADD JAR} gives a session): registered, backfilled, and recomputed when the
 * jar changes.
 */
class UserJarBackfillTest {
  private static final String UDF = "com.acme.features.JarArea";
  @TempDir Path dir;
  private String uri;

  @BeforeEach
  void table() {
    uri = LanceTestTables.create(dir, "t", 3, 10);
    ExternalJars.resetCalls(UDF);
  }

  private void register(ClassLoader loader) {
    VirtualColumns.add(
        uri,
        Map.of(),
        Map.of("area", UdfInspector.inspect(UDF, loader, UdfRegistration.DEFAULT)),
        loader,
        "t");
  }

  private void assertAreas(int offset) {
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "area"))) {
      int id = (Integer) row.get("id");
      assertEquals(
          (long) LanceTestTables.x(id) * LanceTestTables.y(id) + offset,
          row.get("area"),
          "area of id " + id);
    }
  }

  @Test
  void aUdfFromAJarOfItsOwnIsRegisteredAndBackfilled() throws Exception {
    Path jar = ExternalJars.compile(dir.resolve("v1/udfs.jar"), ExternalJars.areaUdf(UDF, 0));
    try (URLClassLoader loader = ExternalJars.loader(jar)) {
      assertThrows(
          UdfException.class,
          () -> UdfInspector.loadClass(UDF, getClass().getClassLoader()),
          "the class is in the jar only");
      register(loader);

      BackfillResult first = Backfill.of(uri, "area").classLoader(loader).run();
      assertEquals(30, first.rowsComputed());
      assertEquals(30, ExternalJars.calls(UDF));
      assertAreas(0);
      assertEquals(0, Backfill.of(uri, "area").classLoader(loader).run().commits(), "settled");
    }
  }

  @Test
  void aRebuiltJarIsANewVersionEvenWhenOnlyAClassTheUdfUsesChanged() throws Exception {
    Path v1 = ExternalJars.compile(dir.resolve("v1/udfs.jar"), ExternalJars.areaUdf(UDF, 0));
    Path v2 =
        ExternalJars.compile(
            dir.resolve("v2/udfs.jar"), ExternalJars.areaUdf(UDF, 1)); // helper changed only
    try (URLClassLoader l1 = ExternalJars.loader(v1);
        URLClassLoader l2 = ExternalJars.loader(v2)) {
      register(l1);
      Backfill.of(uri, "area").classLoader(l1).run();
      long version = LanceTestReads.version(uri);
      ExternalJars.resetCalls(UDF);

      BackfillResult rebuilt =
          Backfill.of(uri, "area").classLoader(l2).run(); // a new session with the rebuilt jar

      assertEquals(30, rebuilt.rowsComputed(), "every row again");
      assertEquals(30, ExternalJars.calls(UDF));
      assertTrue(rebuilt.tableVersion() > version);
      assertAreas(1);
      assertEquals(
          0, Backfill.of(uri, "area").classLoader(l2).run().rowsComputed(), "then settled");
    }
  }

  @Test
  void aBackfillWithoutTheJarFailsInOneLineNamingTheClass() throws Exception {
    Path jar = ExternalJars.compile(dir.resolve("v1/udfs.jar"), ExternalJars.areaUdf(UDF, 0));
    try (URLClassLoader loader = ExternalJars.loader(jar)) {
      register(loader);
    }
    long version = LanceTestReads.version(uri);
    UdfException e = assertThrows(UdfException.class, () -> Backfill.of(uri, "area").run());
    assertEquals("UDF class '" + UDF + "' was not found on the classpath", e.getMessage());
    assertEquals(version, LanceTestReads.version(uri), "nothing changed");
  }

  @Test
  void aClassOutsideTheAllowedPackagesIsNeverLoaded() throws Exception {
    String udf = "org.elsewhere.Init";
    Path jar =
        ExternalJars.compile(
            dir.resolve("init.jar"),
            Map.of(
                udf,
                "package org.elsewhere;\n"
                    + "public class Init {\n"
                    + "  static { System.setProperty(\"org.elsewhere.Init.loaded\", \"yes\"); }\n"
                    + "  public long call(int x) { return x; }\n"
                    + "}\n"));
    try (URLClassLoader loader = ExternalJars.loader(jar)) {
      VirtualColumns.add(
          uri,
          Map.of(),
          Map.of(
              "v",
              UdfInspector.inspect(UdfInspector.loadClass(udf, loader), UdfRegistration.DEFAULT)),
          loader,
          "t");
      assertNull(
          System.getProperty("org.elsewhere.Init.loaded"),
          "registration inspects without initializing");
      assertEquals(
          List.of("v"),
          List.copyOf(VirtualColumns.list(uri, Map.of()).keySet()),
          "reading needs no class");

      UdfException refused =
          assertThrows(
              UdfException.class,
              () ->
                  Backfill.of(uri, "v")
                      .classLoader(loader)
                      .classPolicy(UdfClassPolicy.parse("com.acme, dev.lancet"))
                      .run());

      assertEquals(
          "UDF class 'org.elsewhere.Init' is outside lancet.udf.allowed-packages com.acme,"
              + " dev.lancet; it was not loaded",
          refused.getMessage());
      assertNull(System.getProperty("org.elsewhere.Init.loaded"), "no code of it ran");
      assertEquals(0, jobRecords().size(), "refused before the job started");
    }
  }

  private List<BackfillJob> jobRecords() {
    return BackfillJobs.list(uri, Map.of());
  }

  @Test
  void allowedPackagesArePrefixesOfWholePackageNames() {
    UdfClassPolicy policy = UdfClassPolicy.parse(" com.acme , org.x.* ,dev.lancet. ");
    assertEquals(List.of("com.acme", "org.x", "dev.lancet"), policy.allowedPrefixes());
    assertTrue(
        policy.allows("com.acme.Area")
            && policy.allows("com.acme.sub.Area")
            && policy.allows("org.x.Y"));
    assertTrue(
        !policy.allows("com.acmex.Area") && !policy.allows("Area") && !policy.allows("org.xy.Z"));
    assertTrue(UdfClassPolicy.parse("").allows("anything.At.All"));
    UdfException bad =
        assertThrows(UdfException.class, () -> UdfClassPolicy.parse("com.acme,3bad"));
    assertEquals(
        "lancet.udf.allowed-packages: '3bad' is not a package name (expected e.g."
            + " com.acme.features)",
        bad.getMessage());
  }
}
