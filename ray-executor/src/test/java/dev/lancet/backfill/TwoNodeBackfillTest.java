package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.ray.RayRuntime;
import dev.lancet.testing.ExternalJars;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.udf.CodeIdentity;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfRegistration;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill on a two-node Ray cluster whose second node cannot see the driver's temp directory
 * (bin/test starts it in its own mount namespace with a private /tmp): the driver's code and the
 * user's jar, compiled under /tmp, reach that node's workers through the cluster (the workers'
 * package in the GCS) and the table (the jar store), and both nodes compute fragments.
 */
@Tag("nodes")
class TwoNodeBackfillTest {
  /** Under the module's target/, which both nodes see (unlike /tmp). */
  private static final Path SHARED = Path.of("target", "two-node-tables").toAbsolutePath();

  @TempDir Path privateDir;

  @AfterEach
  void clean() throws IOException {
    if (Files.exists(SHARED)) {
      try (Stream<Path> s = Files.walk(SHARED)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aUserJarTheSecondNodeCannotSeeRunsOnBothNodesWithTheRightValues() throws Exception {
    assertTrue(
        privateDir.startsWith("/tmp"),
        "the jar must be where the second node cannot see it: " + privateDir);
    String udf = "com.acme.nodes.NodeArea";
    Path jar = ExternalJars.compile(privateDir.resolve("udfs.jar"), ExternalJars.areaUdf(udf, 0));
    Files.createDirectories(SHARED);
    String uri = LanceTestTables.create(SHARED, "spread", 12, 50);
    try (URLClassLoader loader = ExternalJars.loader(jar)) {
      VirtualColumns.add(
          uri,
          Map.of(),
          Map.of("area", UdfInspector.inspect(udf, loader, UdfRegistration.DEFAULT)),
          loader,
          "spread");
      // Three workers of one CPU each on two nodes of 2 + 1 CPUs: one must be on the second node.
      BackfillResult result =
          Backfill.of(uri, "area").classLoader(loader).concurrency(3).batchSize(10).run();

      assertFalse(RayRuntime.isLocal());
      assertEquals(600, result.rowsComputed());
      assertEquals(0, ExternalJars.calls(udf), "computed in the cluster's workers, not here");
      assertEquals(
          2,
          result.fragmentsByNode().size(),
          "fragments computed on both nodes: " + result.fragmentsByNode());
      assertTrue(
          result.fragmentsByNode().containsKey("127.0.0.2"), result.fragmentsByNode().toString());
      assertEquals(
          12, result.fragmentsByNode().values().stream().mapToInt(Integer::intValue).sum());
      LanceTestReads.assertEveryAreaIsXTimesY(uri);

      BackfillJob job = BackfillJobs.list(uri, Map.of()).get(0);
      assertEquals(
          result.fragmentsByNode(),
          job.fragmentsByNode(),
          "the job record says which node computed what");
      assertTrue(
          job.code().contains("udfs.jar sha256:" + CodeIdentity.sha256(jar)),
          job.code().toString());
      assertTrue(
          job.code().stream().anyMatch(c -> c.startsWith("workers gcs://")),
          "the workers' package: " + job.code());
    }
  }
}
