package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing outside a module uses its internal packages: every module's sources (main and test) are
 * read, and a reference to another module's internal package fails. Internal are the {@code
 * dev.lancet...internal} packages and the engine's rooms (plan, run, compute, commit, store and its
 * Ray engine); a module's public packages are its API ({@code dev.lancet.udf}, {@code
 * dev.lancet.backfill}, {@code dev.lancet.lance}, ...).
 */
class ModuleBoundaryTest {
  private static final List<String> MODULES =
      List.of("udf-bridge", "ray-executor", "connector", "examples", "benchmarks");
  private static final Pattern INTERNAL =
      Pattern.compile(
          "\\b(dev\\.lancet(?:\\.\\w+)*\\.internal"
              + "|dev\\.lancet\\.backfill\\.(?:plan|run|compute|commit|store)"
              + "|dev\\.lancet\\.ray)\\b");

  @Test
  void noModuleUsesAnotherModulesInternalPackages() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    assertTrue(Files.isDirectory(root.resolve("ray-executor")), "run from the examples module");
    List<String> crossings = new ArrayList<>();
    int read = 0;
    for (String module : MODULES) {
      Path src = root.resolve(module).resolve("src");
      if (!Files.isDirectory(src)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(src)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          read++;
          Matcher m = INTERNAL.matcher(Files.readString(f));
          while (m.find()) {
            String owner = owner(root, m.group(1));
            if (owner != null && !owner.equals(module)) {
              crossings.add(root.relativize(f) + " uses " + m.group(1) + " of " + owner);
            }
          }
        }
      }
    }
    assertTrue(read > 100, "the sources were found: " + read);
    assertEquals(List.of(), crossings);
  }

  /** The module whose main sources declare the package, or null. */
  private static String owner(Path root, String pkg) {
    for (String module : MODULES) {
      Path dir = root.resolve(module).resolve("src/main/java").resolve(pkg.replace('.', '/'));
      if (Files.isDirectory(dir)) {
        return module;
      }
    }
    return null;
  }
}
