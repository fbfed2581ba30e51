package dev.lancet.lance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeferredDeletesTest {
  @TempDir Path dir;

  @Test
  void localFilesQueuedForDeletionAreGoneOnceTheQueueIsIdle() throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Path f = Files.write(dir.resolve("part-" + i + ".arrows"), new byte[4096]);
      files.add(f);
      DeferredDeletes.delete(f.toString(), Map.of());
    }
    DeferredDeletes.delete(dir.resolve("never-written").toUri().toString(), Map.of());
    assertTrue(DeferredDeletes.awaitIdle(Duration.ofSeconds(30)), "the queue drained");
    for (Path f : files) {
      assertFalse(Files.exists(f), f + " deleted");
    }
  }
}
