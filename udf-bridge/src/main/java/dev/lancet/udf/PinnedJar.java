package dev.lancet.udf;

/**
 * One jar of a virtual column's pinned code: the UDF's jar or one of its dependencies, as recorded
 * at registration and kept in the table's jar store under its checksum.
 *
 * @param name the jar's file name where it came from, for people
 * @param sha256 its SHA-256, 64 hex digits: what identifies it
 */
public record PinnedJar(String name, String sha256) {
  public PinnedJar {
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a SHA-256 checksum: " + sha256);
    }
  }

  /** For people: {@code name (sha256:0123456789ab)}. */
  public String describe() {
    return name + " (sha256:" + sha256.substring(0, 12) + ")";
  }
}
