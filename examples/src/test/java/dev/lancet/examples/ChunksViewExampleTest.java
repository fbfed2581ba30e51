package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.spark.testing.CliRun;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The complete chunking example (examples/sql/chunks_view.sql): documents, a materialized view of
 * their chunks with an embedding per chunk, then an append, an update and a delete that the refresh
 * and the backfill follow exactly, and nothing computed when nothing changed.
 */
class ChunksViewExampleTest {
  @TempDir Path warehouse;

  @Test
  void refreshAndBackfillComputeExactlyTheChangedDocumentsAndChunks() {
    CliRun run = CliRun.run(warehouse, "", "-f", "sql/chunks_view.sql");
    assertEquals(0, run.code(), run.err());
    // CREATE, then the two REFRESHes: source rows read, rows added, rows removed.
    List<String> refreshes =
        run.rows("lancet\\.default\\.library_chunks", "|").stream()
            .map(r -> r.split("\\|"))
            .filter(cells -> cells.length == 9)
            .map(cells -> String.join(" ", Arrays.copyOfRange(cells, 4, 7)))
            .toList();
    assertEquals(List.of("3 4 0", "2 2 2", "0 0 0"), refreshes, run.out());
    // The three BACKFILLs of the embedding: every chunk, then the 2 new ones, then none.
    List<String> backfills = run.rows("emb", "|").stream().map(r -> r.split("\\|")[1]).toList();
    assertEquals(List.of("4", "2", "0"), backfills, run.out());
    // SHOW MATERIALIZED VIEWS: fresh.
    assertEquals(
        List.of("true"),
        run.rows("lancet\\.default\\.library_chunks", "|").stream()
            .map(r -> r.split("\\|"))
            .filter(cells -> cells.length == 5)
            .map(cells -> cells[4])
            .toList());
    List<String> chunks = run.rows("[1-4]", "|");
    assertEquals(4, chunks.size(), run.out());
    assertEquals(
        List.of("1|0|16", "1|1|16", "2|0|16", "4|0|16"),
        chunks.stream()
            .map(r -> String.join("|", Arrays.copyOfRange(r.split("\\|"), 0, 3)))
            .toList());
  }
}
