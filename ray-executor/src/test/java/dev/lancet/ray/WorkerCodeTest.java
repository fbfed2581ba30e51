package dev.lancet.ray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The workers' jars are picked from a driver's class path by artifact, whatever version the driver
 * resolved.
 */
class WorkerCodeTest {
  @Test
  void artifactsMatchByNameAndClassifierNotVersion() {
    List<String[]> artifacts =
        List.of(
            new String[] {"netty-buffer", null},
            new String[] {"jackson-core", null},
            new String[] {"netty-transport-native-epoll", "linux-x86_64"});
    assertTrue(
        WorkerCode.isArtifact("netty-buffer-4.1.96.Final.jar", artifacts),
        "another version than the build's");
    assertTrue(WorkerCode.isArtifact("jackson-core-2.15.2.jar", artifacts));
    assertFalse(
        WorkerCode.isArtifact("jackson-coreutils-2.0.jar", artifacts),
        "another artifact with the same start");
    assertFalse(WorkerCode.isArtifact("netty-buffer-patch-1.0.jar", artifacts));
    assertTrue(
        WorkerCode.isArtifact(
            "netty-transport-native-epoll-4.1.96.Final-linux-x86_64.jar", artifacts));
    assertFalse(
        WorkerCode.isArtifact(
            "netty-transport-native-epoll-4.1.96.Final-linux-aarch_64.jar", artifacts));
  }

  @Test
  void theBuildsListHoldsTheWorkersDependenciesAndNotSpark() {
    List<String[]> artifacts = WorkerCode.artifacts();
    assertTrue(
        artifacts.stream().anyMatch(a -> a[0].equals("lance-core")),
        "lance-core is a worker dependency");
    assertTrue(artifacts.stream().anyMatch(a -> a[0].equals("arrow-vector")));
    assertFalse(
        artifacts.stream().anyMatch(a -> a[0].startsWith("spark-")), "workers run no Spark");
    List<String> cp =
        List.of(
            "/x/spark-core_2.12-3.5.7.jar",
            "/x/lance-core-4.0.0.jar",
            "/x/lancet-connector-0.1.0-SNAPSHOT-bundle.jar",
            "/x/scala-library-2.12.18.jar");
    assertEquals(
        List.of("/x/lance-core-4.0.0.jar", "/x/lancet-connector-0.1.0-SNAPSHOT-bundle.jar"),
        WorkerCode.workerEntries(cp));
  }
}
