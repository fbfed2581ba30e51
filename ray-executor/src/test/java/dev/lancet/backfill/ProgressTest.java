package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.Paced;
import dev.lancet.udf.UdfInspector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress moves while one long fragment is computed, not only when it finishes. */
class ProgressTest {
  @TempDir Path dir;

  @Test
  void progressIsReportedWithinAFragmentWithRowsAFractionAndTimeLeft() {
    String uri = LanceTestTables.create(dir, "paced", 1, 300); // one fragment, ~3 s of UDF calls
    VirtualColumns.add(
        uri, Map.of(), "area", UdfInspector.inspect(Paced.class, Map.of(), List.of("x", "y")));
    List<BackfillProgress> reports = new CopyOnWriteArrayList<>();

    BackfillResult result =
        Backfill.of(uri, "area").batchSize(10).concurrency(1).onProgress(reports::add).run();

    assertEquals(300, result.rowsComputed());
    List<BackfillProgress> within =
        reports.stream()
            .filter(p -> !p.fragmentFinished() && p.fragmentsDone() == 0 && p.rowsDone() > 0)
            .toList();
    assertTrue(within.size() >= 2, "ticks while the only fragment ran: " + reports);
    for (BackfillProgress p : within) {
      assertEquals(300, p.rowsTotal());
      assertTrue(p.fraction() > 0 && p.fraction() < 1, p.toString());
      assertTrue(p.etaMillis().isPresent() && p.elapsedMillis() > 0, p.toString());
    }
    for (int i = 1; i < within.size(); i++) {
      assertTrue(within.get(i).rowsDone() >= within.get(i - 1).rowsDone(), within.toString());
    }
    BackfillProgress last = reports.get(reports.size() - 1);
    assertTrue(last.fragmentFinished());
    assertEquals(1, last.fragmentsDone());
    assertEquals(300, last.rowsDone());
    assertEquals(1.0, last.fraction());
    assertFalse(reports.stream().anyMatch(p -> p.rowsDone() > 300), reports.toString());
  }
}
