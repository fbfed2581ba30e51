package dev.lancet.examples;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A 1:N UDF: a document's text as chunks for retrieval. Sentences (Java's own sentence breaks) are
 * packed into chunks of at most {@code max_chars} characters (a sentence longer than that is a
 * chunk of its own), and each chunk after the first starts with the last {@code overlap} sentences
 * of the one before, so a fact that spans a boundary is whole in one of them.
 *
 * <pre>
 * SELECT d.id, c.* FROM docs d, LATERAL lancet_explode('dev.lancet.examples.SentenceChunker', d.text) c
 * CREATE TEMPORARY TABLE FUNCTION chunks USING UDF 'dev.lancet.examples.SentenceChunker'
 *   OPTIONS (max_chars = '400', overlap = '1')
 * </pre>
 */
public class SentenceChunker {
  /** One chunk: its number in the document, its text, and where it starts in the document. */
  public record Chunk(int chunk, String text, int start) {}

  private final int maxChars;
  private final int overlap;

  public SentenceChunker(Map<String, String> options) {
    this.maxChars = Integer.parseInt(options.getOrDefault("max_chars", "200"));
    this.overlap = Integer.parseInt(options.getOrDefault("overlap", "1"));
    if (maxChars < 1 || overlap < 0) {
      throw new IllegalArgumentException("max_chars must be at least 1 and overlap at least 0");
    }
  }

  public List<Chunk> call(String text) {
    List<Chunk> chunks = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return chunks;
    }
    List<int[]> sentences = sentences(text);
    int first = 0; // the chunk's first sentence
    while (first < sentences.size()) {
      int last = first; // its last sentence, inclusive
      while (last + 1 < sentences.size()
          && sentences.get(last + 1)[1] - sentences.get(first)[0] <= maxChars) {
        last++;
      }
      int start = sentences.get(first)[0];
      chunks.add(
          new Chunk(chunks.size(), text.substring(start, sentences.get(last)[1]).trim(), start));
      if (last + 1 >= sentences.size()) {
        break;
      }
      // The next chunk repeats the last sentences of this one, but always moves forward.
      first = Math.max(first + 1, last + 1 - overlap);
    }
    return chunks;
  }

  private static List<int[]> sentences(String text) {
    BreakIterator breaks = BreakIterator.getSentenceInstance(Locale.ROOT);
    breaks.setText(text);
    List<int[]> out = new ArrayList<>();
    int start = breaks.first();
    for (int end = breaks.next(); end != BreakIterator.DONE; start = end, end = breaks.next()) {
      if (!text.substring(start, end).isBlank()) {
        out.add(new int[] {start, end});
      }
    }
    return out;
  }
}
