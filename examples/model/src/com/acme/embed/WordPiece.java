package com.acme.embed;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BERT's uncased tokenizer (all-MiniLM-L6-v2's): clean, lower-case, strip accents, split on
 * whitespace and punctuation (each CJK character a word), then WordPiece, greedy longest match,
 * continuations prefixed {@code ##}; {@code [CLS]} ... {@code [SEP]}, at most {@code maxTokens}.
 */
final class WordPiece {
  private final Map<String, Integer> vocab;
  private final int cls;
  private final int sep;
  private final int unk;
  private final int maxTokens;

  private WordPiece(Map<String, Integer> vocab, int maxTokens) {
    this.vocab = vocab;
    this.cls = vocab.get("[CLS]");
    this.sep = vocab.get("[SEP]");
    this.unk = vocab.get("[UNK]");
    this.maxTokens = maxTokens;
  }

  /** The vocabulary of a Hugging Face {@code tokenizer.json} (its WordPiece model's "vocab"). */
  static WordPiece fromTokenizerJson(String json, int maxTokens) {
    // A small scanner of the "vocab" object: its keys include "{" and "}" themselves.
    int pos = json.indexOf('{', json.indexOf("\"vocab\"")) + 1;
    Map<String, Integer> vocab = new HashMap<>();
    while (true) {
      while (Character.isWhitespace(json.charAt(pos)) || json.charAt(pos) == ',') {
        pos++;
      }
      if (json.charAt(pos) == '}') {
        break;
      }
      int end = pos + 1; // json.charAt(pos) is the key's opening quote
      while (json.charAt(end) != '"') {
        end += json.charAt(end) == '\\' ? 2 : 1;
      }
      String key = unescape(json.substring(pos + 1, end));
      pos = json.indexOf(':', end) + 1;
      while (Character.isWhitespace(json.charAt(pos))) {
        pos++;
      }
      int digits = pos;
      while (Character.isDigit(json.charAt(pos))) {
        pos++;
      }
      vocab.put(key, Integer.parseInt(json.substring(digits, pos)));
    }
    return new WordPiece(vocab, maxTokens);
  }

  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        default -> out.append(n);
      }
    }
    return out.toString();
  }

  /** The token ids of {@code text}, {@code [CLS]} first and {@code [SEP]} last. */
  long[] encode(String text) {
    List<Integer> ids = new ArrayList<>();
    ids.add(cls);
    for (String word : basicTokens(text)) {
      for (int id : wordPieces(word)) {
        if (ids.size() == maxTokens - 1) {
          break;
        }
        ids.add(id);
      }
    }
    ids.add(sep);
    return ids.stream().mapToLong(Integer::longValue).toArray();
  }

  private List<Integer> wordPieces(String word) {
    if (word.codePointCount(0, word.length()) > 100) {
      return List.of(unk);
    }
    List<Integer> out = new ArrayList<>();
    int start = 0;
    while (start < word.length()) {
      int end = word.length();
      Integer found = null;
      while (start < end) {
        String piece = (start > 0 ? "##" : "") + word.substring(start, end);
        found = vocab.get(piece);
        if (found != null) {
          break;
        }
        end--;
      }
      if (found == null) {
        return List.of(unk);
      }
      out.add(found);
      start = end;
    }
    return out;
  }

  private static List<String> basicTokens(String text) {
    StringBuilder clean = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              if (c == 0 || c == 0xFFFD || (Character.isISOControl(c) && !Character.isWhitespace(c))) {
                return;
              }
              if (isCjk(c)) {
                clean.append(' ').appendCodePoint(c).append(' ');
              } else {
                clean.appendCodePoint(Character.isWhitespace(c) ? ' ' : c);
              }
            });
    String lower =
        Normalizer.normalize(clean.toString().toLowerCase(java.util.Locale.ROOT), Normalizer.Form.NFD)
            .replaceAll("\\p{Mn}", "");
    List<String> out = new ArrayList<>();
    for (String word : lower.trim().split("\\s+")) {
      StringBuilder current = new StringBuilder();
      word.codePoints()
          .forEach(
              c -> {
                if (isPunctuation(c)) {
                  if (current.length() > 0) {
                    out.add(current.toString());
                    current.setLength(0);
                  }
                  out.add(new String(Character.toChars(c)));
                } else {
                  current.appendCodePoint(c);
                }
              });
      if (current.length() > 0) {
        out.add(current.toString());
      }
    }
    return out;
  }

  private static boolean isPunctuation(int c) {
    if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.CONNECTOR_PUNCTUATION
        || type == Character.DASH_PUNCTUATION
        || type == Character.START_PUNCTUATION
        || type == Character.END_PUNCTUATION
        || type == Character.INITIAL_QUOTE_PUNCTUATION
        || type == Character.FINAL_QUOTE_PUNCTUATION
        || type == Character.OTHER_PUNCTUATION;
  }

  private static boolean isCjk(int c) {
    return (c >= 0x4E00 && c <= 0x9FFF)
        || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F)
        || (c >= 0x2B740 && c <= 0x2B81F)
        || (c >= 0x2B820 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0x2F800 && c <= 0x2FA1F);
  }
}
