package dev.lancet.backfill;

/**
 * What a virtual column's live row holds, as a backfill judges it: a current value, or why the next
 * backfill that selects the row computes it. Every live row is in exactly one state.
 */
public enum RowState {
  /** Computed by the UDF version a backfill would run now, from the inputs the row has now. */
  CURRENT("current"),
  /** Never computed: the row's fragment has no file of the column (new rows, a new column). */
  NEW("new"),
  /**
   * Never computed although its fragment's file was: earlier backfills' filters left it out (or a
   * pilot run's limit).
   */
  FILTERED_OUT("previously filtered out"),
  /**
   * Computed from inputs it no longer has: an input was updated (an UPDATE moved the row) or an
   * input column's file was replaced.
   */
  INPUT_CHANGED("input changed"),
  /** Computed by another UDF version: SET UDF, new options, or rebuilt code. */
  VERSION_CHANGED("new version"),
  /** Its UDF call failed the last time it was computed. */
  FAILED("failed");

  private final String label;

  RowState(String label) {
    this.label = label;
  }

  /** How statements show the state. */
  public String label() {
    return label;
  }
}
