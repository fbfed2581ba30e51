package dev.lancet.lance;

import org.lance.Dataset;

/** The Lance file format version a table's data files use; new column files must match it. */
public record FileFormat(int major, int minor) {
  public static FileFormat of(Dataset dataset) {
    String v = dataset.getLanceFileFormatVersion();
    String[] parts = v == null ? new String[0] : v.split("\\.");
    try {
      return new FileFormat(
          Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
    } catch (RuntimeException e) {
      return new FileFormat(2, 0);
    }
  }

  public String versionString() {
    return major + "." + minor;
  }
}
