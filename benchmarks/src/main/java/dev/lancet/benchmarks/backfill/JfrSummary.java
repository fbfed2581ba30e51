package dev.lancet.benchmarks.backfill;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hottest methods of a JFR recording: CPU samples by the method they were in (self) and by
 * every method on their stack (total), as a short text table. Used by {@code --profile} to show
 * where a contender spends its time. Also runnable: {@code JfrSummary <file.jfr> [top]}.
 */
public final class JfrSummary {
  private JfrSummary() {}

  public static void main(String[] args) throws IOException {
    System.out.println(
        summarize(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 25));
  }

  static String summarize(Path jfr, int top) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      samples++;
      self.merge(name(frames.get(0)), 1, Integer::sum);
      Set<String> seen = new LinkedHashSet<>();
      frames.forEach(f -> seen.add(name(f)));
      seen.forEach(m -> total.merge(m, 1, Integer::sum));
    }
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s: %d CPU samples (Java code only; native Lance "
                    + "and Arrow C code shows as the Java method that called it)%n",
                jfr.getFileName(),
                samples));
    b.append(String.format(Locale.ROOT, "%n  self%%  method%n"));
    int n = samples;
    self.entrySet().stream()
        .sorted((x, y) -> y.getValue() - x.getValue())
        .limit(top)
        .forEach(
            en ->
                b.append(
                    String.format(
                        Locale.ROOT, "  %5.1f  %s%n", 100.0 * en.getValue() / n, en.getKey())));
    b.append(String.format(Locale.ROOT, "%n  total%%  method (dev.lancet and org.lance only)%n"));
    total.entrySet().stream()
        .filter(en -> en.getKey().startsWith("dev.lancet") || en.getKey().startsWith("org.lance"))
        .sorted((x, y) -> y.getValue() - x.getValue())
        .limit(top)
        .forEach(
            en ->
                b.append(
                    String.format(
                        Locale.ROOT, "  %6.1f  %s%n", 100.0 * en.getValue() / n, en.getKey())));
    return b.toString();
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }
}
