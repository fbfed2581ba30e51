package dev.lancet.benchmarks.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * benchmarks/python/model_anchor.py: makes the sentences table and runs pylance's add_columns with
 * the model, each in a process of its own (its start and imports are not timed; the script times
 * add_columns itself, the model's load included).
 */
record PythonSide(Path python, Path script) {
  private static final Pattern SECONDS = Pattern.compile("\"seconds\": ([0-9.eE+-]+)");

  void make(Path table, long rows, int fragments, Path sentences) throws IOException {
    run(
        List.of(
            "make",
            table.toString(),
            String.valueOf(rows),
            String.valueOf(fragments),
            sentences.toString()));
  }

  /** Seconds pylance's add_columns took. */
  double addColumns(Path table, Path modelJar, int batch) throws IOException {
    String out = run(List.of("add-columns", table.toString(), modelJar.toString(), "" + batch));
    Matcher m = SECONDS.matcher(out);
    if (!m.find()) {
      throw new IOException("model_anchor.py add-columns printed no seconds: " + out);
    }
    return Double.parseDouble(m.group(1));
  }

  private String run(List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException("model_anchor.py " + args.get(0) + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }
}
