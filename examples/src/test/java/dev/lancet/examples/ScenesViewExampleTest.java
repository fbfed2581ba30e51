package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.spark.testing.CliRun;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The N:M example: SceneDetector alone, and examples/sql/scenes_view.sql through lancet-sql. */
class ScenesViewExampleTest {
  @TempDir Path warehouse;

  @Test
  void scenesCutWhereBrightnessJumpsWhateverTheFramesOrder() {
    SceneDetector detector = new SceneDetector(Map.of());
    assertEquals(
        List.of(new SceneDetector.Scene(0, 0, 1, 2), new SceneDetector.Scene(1, 2, 2, 1)),
        detector.call(
            List.of(
                new SceneDetector.Frame(2, 0.9),
                new SceneDetector.Frame(0, 0.1),
                new SceneDetector.Frame(1, 0.2))));
    assertEquals(List.of(), detector.call(List.of()));
  }

  @Test
  void theViewRefreshesOnlyTheVideosWithChangedFrames() {
    CliRun run = CliRun.run(warehouse, "", "-f", "sql/scenes_view.sql");
    assertEquals(0, run.code(), run.err());
    // CREATE, then the two REFRESHes: source rows read, rows added, rows removed.
    List<String> outcomes =
        run.rows("lancet\\.default\\.video_scenes", "|").stream()
            .map(r -> r.split("\\|"))
            .filter(cells -> cells.length == 9)
            .map(cells -> String.join(" ", Arrays.copyOfRange(cells, 4, 7)))
            .toList();
    assertEquals(List.of("6 3 0", "4 3 1", "0 0 0"), outcomes, run.out());
    List<String> scenes = run.rows("[1-3]", "|");
    // The plain query's 3 rows, then the view's 4.
    assertEquals(
        List.of(
            "1|0|0|1|2",
            "1|1|2|3|2",
            "2|0|0|1|2",
            "1|0|0|1|2",
            "1|1|2|3|2",
            "2|0|0|1|2",
            "2|1|2|2|1",
            "3|0|0|0|1"),
        scenes,
        run.out());
  }
}
