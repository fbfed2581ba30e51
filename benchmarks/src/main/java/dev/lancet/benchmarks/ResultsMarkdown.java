package dev.lancet.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * benchmarks/RESULTS.md's sections: each benchmark writes its own between a begin and an end
 * marker, so a run replaces its section and leaves the others alone.
 */
public final class ResultsMarkdown {
  private ResultsMarkdown() {}

  /**
   * Puts {@code section} (which starts with {@code begin} and ends with {@code end}) in place of
   * the one between the markers, or at the end of the file (created if missing).
   */
  public static void replaceSection(Path md, String begin, String end, String section)
      throws IOException {
    String text = Files.exists(md) ? Files.readString(md) : "# Benchmark results\n";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    text =
        from >= 0 && to > from
            ? text.substring(0, from) + section + text.substring(to + end.length())
            : text.stripTrailing() + "\n\n" + section + "\n";
    Files.writeString(md, text);
  }

  /**
   * Puts {@code body} between the markers {@code <!-- name:begin -->} and {@code <!-- name:end -->}
   * of the file named by the system property {@code lancet.results.md}, when it is set.
   */
  public static void replaceNamedSection(String name, String body) throws IOException {
    String results = System.getProperty("lancet.results.md");
    if (results == null) {
      return;
    }
    String begin = "<!-- " + name + ":begin -->";
    String end = "<!-- " + name + ":end -->";
    replaceSection(Path.of(results), begin, end, begin + "\n" + body + end + "\n");
  }
}
