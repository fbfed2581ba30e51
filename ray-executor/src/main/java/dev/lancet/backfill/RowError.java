package dev.lancet.backfill;

/**
 * A row whose UDF call failed.
 *
 * @param rowAddress the row's address (fragment id in the high 32 bits, row in the low)
 * @param inputs its input values as {@code name=value, ...}
 * @param message what the UDF threw (the last time)
 * @param attempts how many times the UDF was called on it
 */
public record RowError(long rowAddress, String inputs, String message, int attempts) {}
