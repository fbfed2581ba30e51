package dev.lancet.backfill;

import dev.lancet.udf.ErrorCode;

/**
 * A commit failed for good, after its retries ({@link ErrorCode#LANCET_COMMIT_FAILED}). {@link
 * #filesMayBeCleaned()} says whether the column files it was to commit may be deleted: not when any
 * of them went into a commit call that threw, since that commit may have landed and a version may
 * reference them (look for the job's own transaction first).
 */
public class BackfillCommitException extends BackfillException {
  private final boolean filesMayBeCleaned;

  public BackfillCommitException(boolean filesMayBeCleaned, String message, Throwable cause) {
    super(ErrorCode.LANCET_COMMIT_FAILED, message, cause);
    this.filesMayBeCleaned = filesMayBeCleaned;
  }

  /**
   * Whether no version can reference the files this commit was to take, so deleting them is safe.
   */
  public boolean filesMayBeCleaned() {
    return filesMayBeCleaned;
  }
}
