package dev.lancet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.spark.testing.CliRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sentence chunker, alone and through the chunking example script. */
class ChunkingExampleTest {
  @TempDir Path warehouse;

  private static final String TEXT =
      "Lance stores columns. Lancet computes features. Backfills are incremental.";

  @Test
  void chunksPackWholeSentencesAndRepeatTheLastOnesOfTheChunkBefore() {
    SentenceChunker small = new SentenceChunker(Map.of("max_chars", "55", "overlap", "1"));
    assertEquals(
        List.of(
            new SentenceChunker.Chunk(0, "Lance stores columns. Lancet computes features.", 0),
            new SentenceChunker.Chunk(
                1, "Lancet computes features. Backfills are incremental.", 22)),
        small.call(TEXT));
    assertEquals(1, new SentenceChunker(Map.of()).call(TEXT).size()); // 200 characters: all of it
    assertEquals(List.of(), new SentenceChunker(Map.of()).call(null));
    SentenceChunker none = new SentenceChunker(Map.of("max_chars", "10", "overlap", "0"));
    assertEquals(3, none.call(TEXT).size()); // each sentence longer than 10: one chunk each
  }

  @Test
  void theExampleScriptGivesEachDocumentItsChunks() {
    CliRun run = CliRun.run(warehouse, "", "-f", "sql/chunking.sql");
    assertEquals(0, run.code(), run.err());
    List<String> rows = run.rows("[123]", "|").stream().sorted().toList();
    assertEquals(
        List.of(
            "1|0|0|Lance stores columns. Lancet computes features.",
            "1|0|16", // the chunks table's embeddings (16 dimensions each)
            "1|0|Lance stores columns. Lancet computes features. Backfills are incremental.",
            "1|1|16",
            "1|1|22|Lancet computes features. Backfills are incremental.",
            "2|0|0|One sentence only.",
            "2|0|16",
            "2|0|One sentence only."),
        rows,
        run.out());
  }
}
