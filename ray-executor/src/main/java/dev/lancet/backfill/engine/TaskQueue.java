package dev.lancet.backfill.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;

/**
 * The tasks of a backfill's round as its workers take them: the planned ones, and the ones a result
 * makes due while the round runs (a split fragment's assembly once its last range is back). A task
 * made due for fragment k goes before the waiting tasks of the fragments planned after k's next
 * one: the parts on disk are those of the two or three fragments in progress, not every fragment's,
 * and the job's last fragments are still assembled side by side rather than the very last alone at
 * the end. Results and the tasks they add come on the pool's own thread; the queue is synchronized
 * all the same.
 */
public final class TaskQueue {
  /** Fragments after a due task's own whose waiting tasks it goes after. */
  static final int AHEAD = 1;

  private final LinkedList<WorkTask> tasks;

  /** Each planned fragment's place in the plan's order. */
  private final Map<Integer, Integer> order = new HashMap<>();

  /** A queue of {@code planned}, in order. */
  public TaskQueue(List<WorkTask> planned) {
    this.tasks = new LinkedList<>(planned);
    for (WorkTask t : planned) {
      order.putIfAbsent(t.firstFragment(), order.size());
    }
  }

  /**
   * A task made due by a result: taken before the waiting tasks of fragments planned more than
   * {@link #AHEAD} after its own, after the others.
   */
  public synchronized void addDue(WorkTask task) {
    int own = order.getOrDefault(task.firstFragment(), -1);
    ListIterator<WorkTask> it = tasks.listIterator();
    while (it.hasNext()) {
      Integer at = order.get(it.next().firstFragment());
      if (own >= 0 && at != null && at > own + AHEAD) {
        it.previous();
        break;
      }
    }
    it.add(task);
  }

  /** The next task, or null when none is waiting (a running one may still add some). */
  public synchronized WorkTask poll() {
    return tasks.poll();
  }

  /** Whether no task is waiting. */
  public synchronized boolean isEmpty() {
    return tasks.isEmpty();
  }

  /** Forgets the waiting tasks (a failure or a cancel: nothing new starts). */
  public synchronized void clear() {
    tasks.clear();
  }

  /** The waiting tasks, in order, taken out of the queue. */
  public synchronized List<WorkTask> drain() {
    List<WorkTask> out = new ArrayList<>(tasks);
    tasks.clear();
    return out;
  }
}
