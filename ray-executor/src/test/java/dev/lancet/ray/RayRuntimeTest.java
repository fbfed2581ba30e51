package dev.lancet.ray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ray.api.Ray;
import io.ray.runtime.AbstractRayRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RayRuntimeTest {
  static int square(int x) {
    return x * x;
  }

  @Test
  void localModeRunsTasksAndShutdownDeletesItsSessionDirectory() {
    RayRuntime.ensureStarted();
    assertTrue(RayRuntime.isLocal());
    Path session = Path.of(((AbstractRayRuntime) Ray.internal()).getRayConfig().sessionDir);
    assertEquals(49, Ray.task(RayRuntimeTest::square, 7).remote().get());
    assertTrue(Files.isDirectory(session), "Ray made its session directory " + session);

    RayRuntime.shutdown();

    assertFalse(Files.exists(session), "session directory left behind: " + session);
    assertFalse(Ray.isInitialized());
    RayRuntime.ensureStarted(); // and it starts again in the same JVM
    assertEquals(4, Ray.task(RayRuntimeTest::square, 2).remote().get());
  }
}
