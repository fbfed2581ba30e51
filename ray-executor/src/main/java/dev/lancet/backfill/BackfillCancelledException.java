package dev.lancet.backfill;

import dev.lancet.udf.ErrorCode;

/** A backfill was cancelled; what it finished is checkpointed and the next run resumes from it. */
public class BackfillCancelledException extends BackfillException {
  public BackfillCancelledException(String message) {
    super(ErrorCode.LANCET_BACKFILL_CANCELLED, message);
  }
}
