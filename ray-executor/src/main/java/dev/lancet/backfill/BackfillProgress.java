package dev.lancet.backfill;

/**
 * A backfill's progress, reported after each fragment finishes.
 *
 * @param column the column
 * @param fragmentsDone fragments finished (computed or found up to date)
 * @param fragmentsTotal fragments in the backfill
 * @param rowsDone rows finished
 * @param rowsPerSecond rows computed per second so far
 */
public record BackfillProgress(
    String column, int fragmentsDone, int fragmentsTotal, long rowsDone, double rowsPerSecond) {}
