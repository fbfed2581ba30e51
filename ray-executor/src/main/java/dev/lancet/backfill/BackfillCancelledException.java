package dev.lancet.backfill;

/** A backfill was cancelled; what it finished is checkpointed and the next run resumes from it. */
public class BackfillCancelledException extends BackfillException {
  public BackfillCancelledException(String message) {
    super(message);
  }
}
