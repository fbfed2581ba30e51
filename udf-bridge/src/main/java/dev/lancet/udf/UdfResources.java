package dev.lancet.udf;

/**
 * What each worker running a UDF needs, turned into Ray resource requests.
 *
 * @param numCpus CPUs per worker
 * @param numGpus GPUs per worker
 * @param memoryBytes memory per worker in bytes, 0 for no request
 */
public record UdfResources(double numCpus, double numGpus, long memoryBytes) {
  /** One CPU, no GPU, no memory request. */
  public static final UdfResources DEFAULT = new UdfResources(1, 0, 0);

  public UdfResources {
    if (numCpus < 0 || numGpus < 0 || memoryBytes < 0) {
      throw new UdfException(
          ErrorCode.LANCET_INVALID_OPTION,
          "resources must not be negative: num_cpus="
              + numCpus
              + ", num_gpus="
              + numGpus
              + ", memory="
              + memoryBytes);
    }
  }
}
