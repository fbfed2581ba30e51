package dev.lancet.benchmarks.backfill;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The driver's handle on one contender's process: sends commands, reads answers, samples its
 * memory.
 */
final class ContenderProcess implements AutoCloseable {
  final String name;
  private final Process process;
  private final Writer in;
  private final BufferedReader out;
  private final Path log;

  /** The answer to {@code run}: time, result table, and the process tree's peak RSS meanwhile. */
  record Timed(double seconds, String resultUri, long peakRssBytes) {}

  private ContenderProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts {@code command}, its stderr to {@code log}, and waits for it to say it is ready. */
  static ContenderProcess start(String name, List<String> command, Path log) throws IOException {
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    ContenderProcess c = new ContenderProcess(name, p, log);
    c.answer();
    return c;
  }

  boolean supports(Workload w) throws IOException {
    return Boolean.parseBoolean(call("supports", w.name())[1]);
  }

  void prepare(Workload w, String uri) throws IOException {
    call("prepare", w.name(), uri);
  }

  Timed run(Workload w, String uri, Path scratch) throws IOException {
    try (RssSampler rss = new RssSampler(process.toHandle())) {
      String[] a = call("run", w.name(), uri, scratch.toString());
      return new Timed(Double.parseDouble(a[1]), a[2], rss.peakBytes());
    }
  }

  private String[] call(String... fields) throws IOException {
    in.write(String.join("\t", fields) + "\n");
    in.flush();
    return answer();
  }

  private String[] answer() throws IOException {
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("@@ready")) {
        return new String[] {"@@ready"};
      }
      if (line.startsWith("@@ok")) {
        return line.split("\t");
      }
      if (line.startsWith("@@error")) {
        throw new ContenderFailed(line.substring("@@error\t".length()));
      }
    }
    throw new ContenderFailed(
        "the "
            + name
            + " process ended (exit "
            + exitCode()
            + "); its log "
            + log
            + " ends with: "
            + tail());
  }

  private String exitCode() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS)
          ? String.valueOf(process.exitValue())
          : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(unreadable)";
    }
  }

  @Override
  public void close() {
    try {
      in.write("quit\n");
      in.flush();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** A contender answered with an error, or died. */
  static final class ContenderFailed extends IOException {
    ContenderFailed(String message) {
      super(message);
    }
  }
}
