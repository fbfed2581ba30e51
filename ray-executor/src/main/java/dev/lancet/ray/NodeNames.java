package dev.lancet.ray;

import io.ray.api.Ray;
import io.ray.api.id.UniqueId;
import io.ray.api.runtimecontext.NodeInfo;

/** The name of the Ray node a worker runs on, as job records and results show it: its address. */
final class NodeNames {
  private NodeNames() {}

  /** The current node's address (its id when the address is unknown). */
  static String current() {
    UniqueId id = Ray.getRuntimeContext().getCurrentNodeId();
    for (NodeInfo n : Ray.getRuntimeContext().getAllNodeInfo()) {
      if (n.nodeId.equals(id)) {
        return n.nodeAddress;
      }
    }
    return id.toString();
  }
}
