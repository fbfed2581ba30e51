package dev.lancet.benchmarks.backfill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A one-line description of the machine a benchmark ran on. */
final class Machine {
  private Machine() {}

  static String describe(int cores) {
    String cpu = firstValue("/proc/cpuinfo", "model name");
    String mem = firstValue("/proc/meminfo", "MemTotal");
    String os = firstValue("/etc/os-release", "PRETTY_NAME");
    long gib = 0;
    if (mem != null) {
      gib = Math.round(Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
    }
    return cores
        + " cores"
        + (cpu == null ? "" : " (" + cpu + ")")
        + ", "
        + gib
        + " GiB, Java "
        + System.getProperty("java.version")
        + (os == null ? "" : ", " + os.replace("\"", ""));
  }

  private static String firstValue(String file, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      for (String line : lines) {
        if (line.startsWith(key)) {
          int i = line.indexOf(line.contains(":") ? ':' : '=');
          return line.substring(i + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux: leave it out
    }
    return null;
  }
}
