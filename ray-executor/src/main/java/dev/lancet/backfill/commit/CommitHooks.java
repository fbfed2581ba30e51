package dev.lancet.backfill.commit;

import java.util.List;

/**
 * Seams around each commit group, for fault and interleaving tests: what runs after a group's
 * fragments were checked and before the group is committed, and after it landed. No-ops unless a
 * test sets them.
 */
public final class CommitHooks {
  /** What a test runs around a commit group; the group is given as its fragment ids. */
  public interface Hook {
    /**
     * Between the check of the group's fragments and its commit (another writer may commit here).
     */
    default void beforeCommit(List<Integer> fragmentIds) {}

    /**
     * After the group's commit landed at {@code version}; throwing here is a commit that landed,
     * then failed.
     */
    default void afterCommit(List<Integer> fragmentIds, long version) {}
  }

  private static final Hook NONE = new Hook() {};
  private static volatile Hook hook = NONE;

  private CommitHooks() {}

  /** Sets the hook (null for none). */
  public static void set(Hook newHook) {
    hook = newHook == null ? NONE : newHook;
  }

  static Hook current() {
    return hook;
  }
}
