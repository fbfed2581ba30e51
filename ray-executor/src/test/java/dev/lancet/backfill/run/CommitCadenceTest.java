package dev.lancet.backfill.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CommitCadenceTest {
  @Test
  void theAdaptiveGroupMakesAboutTwentyCommitsAJob() {
    assertEquals(64, CommitCadence.adaptive(1));
    assertEquals(64, CommitCadence.adaptive(1280));
    assertEquals(100, CommitCadence.adaptive(2000));
    assertEquals(5000, CommitCadence.adaptive(100_000));
    assertEquals(
        16, CommitCadence.of(16, 60_000, 100_000).fragments(), "the user's granularity wins");
  }

  @Test
  void aCommitIsDueWhenTheGroupFillsOrItsOldestFragmentHasWaitedTheInterval()
      throws InterruptedException {
    CommitCadence byCount = CommitCadence.of(3, 3_600_000, 10);
    assertFalse(byCount.due(0));
    assertFalse(byCount.due(2));
    assertTrue(byCount.due(3));

    CommitCadence byTime = CommitCadence.of(100, 1, 10);
    assertFalse(byTime.due(0));
    byTime.due(1); // the first pending fragment starts the clock
    Thread.sleep(5);
    assertTrue(byTime.due(1));
    byTime.committed();
    assertFalse(byTime.due(0));
  }
}
