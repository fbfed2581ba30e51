package dev.lancet.backfill;

import java.util.OptionalLong;

/**
 * A backfill's progress: reported when fragments finish and, while they are computed, about once a
 * second (rows computed so far in fragments still in progress included).
 *
 * @param column the column
 * @param fragmentsDone fragments finished (computed or found up to date)
 * @param fragmentsTotal fragments in the backfill
 * @param rowsDone rows finished, plus rows computed so far in fragments in progress
 * @param rowsPerSecond rows computed per second so far
 * @param rowsTotal rows of all the backfill's fragments (a filtered backfill computes fewer)
 * @param fraction how much of the work is done, 0 to 1: rows of finished fragments and rows scanned
 *     in fragments in progress, over {@code rowsTotal}
 * @param elapsedMillis time since the backfill started
 * @param fragmentFinished whether this report follows a fragment's finishing (else a tick)
 */
public record BackfillProgress(
    String column,
    int fragmentsDone,
    int fragmentsTotal,
    long rowsDone,
    double rowsPerSecond,
    long rowsTotal,
    double fraction,
    long elapsedMillis,
    boolean fragmentFinished) {

  /** The time left at the pace so far; empty until something is done, 0 once all is. */
  public OptionalLong etaMillis() {
    if (fraction >= 1) {
      return OptionalLong.of(0);
    }
    if (fraction <= 0 || elapsedMillis <= 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Math.round(elapsedMillis * (1 - fraction) / fraction));
  }
}
