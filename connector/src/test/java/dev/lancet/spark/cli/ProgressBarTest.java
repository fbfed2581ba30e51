package dev.lancet.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.backfill.BackfillProgress;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void theBarShowsTheFractionElapsedTimeAndTimeLeftWithinAFragment() {
    BackfillProgress p =
        new BackfillProgress("emb", 0, 2, 250_000, 5_000.0, 1_000_000, 0.25, 50_000, false);
    assertEquals(
        "\remb [########----------------------]  25% 0/2 fragments, 250,000 rows, 5,000 rows/s,"
            + " 0:50 elapsed, 2:30 left ",
        ProgressBar.barLine(p));
  }

  @Test
  void beforeAnythingIsDoneTheTimeLeftIsUnknownAndLongRunsShowHours() {
    BackfillProgress p = new BackfillProgress("emb", 0, 1, 0, 0, 10, 0, 3_725_000, false);
    assertEquals(
        "\remb [------------------------------]   0% 0/1 fragments, 0 rows, 0 rows/s,"
            + " 1:02:05 elapsed, --:-- left ",
        ProgressBar.barLine(p));
  }

  @Test
  void aBarLeftOpenByAStoppedBackfillIsEndedSoTheErrorStartsOnItsOwnLine() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream err =
        new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
    ProgressBar bar = new ProgressBar(err);
    bar.accept(new BackfillProgress("emb", 0, 2, 10, 1.0, 100, 0.1, 1_000, false));
    bar.endLine();
    err.print("Error: cancelled");
    bar.endLine(); // nothing open: nothing printed
    String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(
        ProgressBar.barLine(new BackfillProgress("emb", 0, 2, 10, 1.0, 100, 0.1, 1_000, false))
            + System.lineSeparator()
            + "Error: cancelled",
        text);
  }
}
