package dev.lancet.spark.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The console's input on a terminal: JLine's line editing (arrows, Home/End, Ctrl-R search) and a
 * history file kept across sessions. The terminal is driven through {@code stty} (JLine's exec
 * provider), so no native library is unpacked into the temp directory.
 */
final class ConsoleLines implements LancetConsole.Lines {
  private final Terminal terminal;
  private final LineReader reader;
  private final Runnable onIdleInterrupt;

  /** An interrupt this soon after one, on an empty line, is the same key press seen twice. */
  private static final long ECHO_NANOS = 300_000_000L;

  private long lastInterrupt;

  private ConsoleLines(Terminal terminal, LineReader reader, Runnable onIdleInterrupt) {
    this.terminal = terminal;
    this.reader = reader;
    this.onIdleInterrupt = onIdleInterrupt;
  }

  /**
   * Opens the terminal. {@code onRunningInterrupt} handles Ctrl-C while a statement runs (JLine
   * hands the signal to it); {@code onIdleInterrupt} when Ctrl-C is pressed at the prompt.
   */
  static ConsoleLines open(Path historyFile, Runnable onRunningInterrupt, Runnable onIdleInterrupt)
      throws IOException {
    Terminal terminal =
        TerminalBuilder.builder()
            .system(true)
            .provider("exec")
            .nativeSignals(true)
            .signalHandler(
                signal -> {
                  if (signal == Terminal.Signal.INT) {
                    onRunningInterrupt.run();
                  }
                })
            .build();
    LineReader reader =
        LineReaderBuilder.builder()
            .appName("lancet-sql")
            .terminal(terminal)
            .variable(LineReader.HISTORY_FILE, historyFile)
            .variable(LineReader.HISTORY_SIZE, 10_000)
            // SQL has '!' (!=) in it: no shell-style history expansion
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
            .build();
    return new ConsoleLines(terminal, reader, onIdleInterrupt);
  }

  /** The next line typed; null at Ctrl-D. After Ctrl-C at the prompt, an empty line. */
  @Override
  public String next(String prompt) {
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException e) {
      // JLine stops readLine by interrupting this thread from the signal's thread; the flag (or a
      // late interrupt) must not stop the next readLine too, as if Ctrl-C had been pressed twice.
      Thread.interrupted();
      long now = System.nanoTime();
      boolean echo = now - lastInterrupt < ECHO_NANOS && e.getPartialLine().isEmpty();
      lastInterrupt = now;
      if (!echo) {
        onIdleInterrupt.run();
      }
      return "";
    } catch (EndOfFileException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      History history = reader.getHistory();
      history.save();
    } finally {
      terminal.close();
    }
  }
}
