package dev.lancet.backfill.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lancet.backfill.plan.FragmentWork;
import dev.lancet.backfill.plan.JobContext;
import dev.lancet.backfill.plan.WorkGroup;
import dev.lancet.testing.TestJobs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a task made due by a result waits: after the next fragment's tasks, before the rest. */
class TaskQueueTest {
  private static final JobContext JOB = TestJobs.JOB;

  private static WorkTask task(JobContext job, int fragment) {
    return WorkTask.of(
        new WorkGroup(
            job,
            List.of(new FragmentWork(fragment, 10, 10, "k" + fragment, null, null, null, 0)),
            null,
            false));
  }

  private static List<Integer> order(TaskQueue queue) {
    List<Integer> out = new ArrayList<>();
    for (WorkTask t = queue.poll(); t != null; t = queue.poll()) {
      out.add(t.firstFragment());
    }
    return out;
  }

  @Test
  void aDueTaskGoesAfterTheNextFragmentsWaitingTasksAndBeforeLaterOnes() {
    JobContext job = JOB;
    TaskQueue queue =
        new TaskQueue(
            List.of(task(job, 0), task(job, 0), task(job, 1), task(job, 1), task(job, 2)));
    queue.poll();
    queue.poll(); // fragment 0's ranges taken

    queue.addDue(task(job, 0)); // its assembly

    assertEquals(List.of(1, 1, 0, 2), order(queue));
  }

  @Test
  void aDueTaskOfTheLastFragmentsGoesLast() {
    JobContext job = JOB;
    TaskQueue queue = new TaskQueue(List.of(task(job, 3), task(job, 4), task(job, 4)));
    queue.poll();

    queue.addDue(task(job, 3));
    queue.addDue(task(job, 4));

    assertEquals(List.of(4, 4, 3, 4), order(queue));
  }

  @Test
  void drainTakesEveryWaitingTaskAndClearForgetsThem() {
    JobContext job = JOB;
    TaskQueue queue = new TaskQueue(List.of(task(job, 0), task(job, 1)));
    assertEquals(2, queue.drain().size());
    queue.addDue(task(job, 0));
    queue.clear();
    assertEquals(null, queue.poll());
  }
}
