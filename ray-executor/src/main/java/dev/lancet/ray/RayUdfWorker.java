package dev.lancet.ray;

import dev.lancet.backfill.compute.UdfWorker;

/**
 * A {@link UdfWorker} as a Ray actor on a cluster: UDF classes load from each unit's jars, and
 * receipts name the Ray node it runs on.
 */
public class RayUdfWorker extends UdfWorker {
  /** Called by Ray when it creates the actor. */
  public RayUdfWorker() {
    super(null);
  }

  @Override
  protected String nodeName() {
    return NodeNames.current();
  }
}
