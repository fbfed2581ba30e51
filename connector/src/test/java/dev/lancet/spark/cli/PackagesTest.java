package dev.lancet.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.testing.CliRun;
import dev.lancet.testing.ExternalJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lancet-sql --packages g:a:v --repositories url}, as spark-sql has them: the UDF's jar and
 * its dependency resolve from a Maven repository (a local one here, as a company's would be), the
 * column pins them, and a later session without {@code --packages} backfills with them. {@code
 * --exclude-packages} leaves a dependency out.
 */
class PackagesTest {
  @TempDir Path dir;

  /** Puts {@code jar} and a pom with {@code dependencies} (XML) into a Maven layout. */
  private void publish(Path repo, String artifact, Path jar, String dependencies) throws Exception {
    Path at = repo.resolve("com/acme/pkg/" + artifact + "/1.0");
    Files.createDirectories(at);
    Files.copy(jar, at.resolve(artifact + "-1.0.jar"));
    Files.writeString(
        at.resolve(artifact + "-1.0.pom"),
        "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
            + "  <modelVersion>4.0.0</modelVersion>\n"
            + "  <groupId>com.acme.pkg</groupId>\n"
            + "  <artifactId>"
            + artifact
            + "</artifactId>\n"
            + "  <version>1.0</version>\n"
            + "  <dependencies>"
            + dependencies
            + "</dependencies>\n"
            + "</project>\n");
  }

  @Test
  void packagesResolveWithTheirDependenciesAndTheColumnPinsThem() throws Exception {
    Path lib =
        ExternalJars.compile(
            dir.resolve("build/greet-lib.jar"),
            Map.of(
                "com.acme.pkg.lib.Greeting",
                "package com.acme.pkg.lib; public class Greeting {"
                    + " public static String of(int id) { return \"hello \" + id; } }"));
    Path udf =
        ExternalJars.compile(
            dir.resolve("build/greet-udf.jar"),
            Map.of(
                "com.acme.pkg.Greet",
                "package com.acme.pkg; public class Greet {"
                    + " public String call(int id) { return com.acme.pkg.lib.Greeting.of(id); } }"),
            List.of(lib));
    Path repo = dir.resolve("repo");
    publish(repo, "greet-lib", lib, "");
    // A dependency the UDF never calls, as a model jar's pom may bring a whole framework.
    publish(repo, "greet-extra", lib, "");
    publish(
        repo,
        "greet-udf",
        udf,
        "<dependency><groupId>com.acme.pkg</groupId><artifactId>greet-lib</artifactId>"
            + "<version>1.0</version></dependency>"
            + "<dependency><groupId>com.acme.pkg</groupId><artifactId>greet-extra</artifactId>"
            + "<version>1.0</version></dependency>");
    Path warehouse = dir.resolve("wh");

    CliRun first =
        CliRun.run(
            warehouse,
            "",
            "--packages",
            "com.acme.pkg:greet-udf:1.0",
            "--repositories",
            repo.toUri().toString(),
            "--exclude-packages",
            "com.acme.pkg:greet-extra",
            "--conf",
            "spark.jars.ivy=" + dir.resolve("ivy"),
            "-e",
            "CREATE TABLE greet (id INT); INSERT INTO greet VALUES (1), (2);"
                + " ALTER TABLE greet ADD COLUMN hi USING UDF 'com.acme.pkg.Greet';"
                + " BACKFILL greet (hi); SELECT id, hi FROM greet ORDER BY id;");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("hello 1") && first.out().contains("hello 2"), first.out());

    CliRun later =
        CliRun.run(
            warehouse,
            "",
            "-e",
            "INSERT INTO greet VALUES (3); BACKFILL greet (hi);"
                + " SELECT id, hi FROM greet ORDER BY id; SHOW VIRTUAL COLUMNS IN greet;");
    assertEquals(0, later.code(), later.err());
    assertTrue(later.out().contains("hello 3"), later.out());
    assertTrue(
        later.out().contains("greet-udf-1.0.jar") && later.out().contains("greet-lib-1.0.jar"),
        "both jars are pinned: " + later.out());
    assertFalse(later.out().contains("greet-extra"), "the excluded one is not: " + later.out());
  }
}
