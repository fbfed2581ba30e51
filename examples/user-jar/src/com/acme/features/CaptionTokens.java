package com.acme.features;

import java.util.ArrayList;
import java.util.List;

/**
 * A user's 1:N feature: each caption's words as rows of their own, in plain Spark SQL
 * ({@code FROM clips c, LATERAL lancet_explode('com.acme.features.CaptionTokens', c.caption) t}).
 */
public class CaptionTokens {
  /** One derived row. */
  public record Token(int position, String word) {}

  public List<Token> call(String caption) {
    List<Token> out = new ArrayList<>();
    if (caption == null) {
      return out;
    }
    String[] words = caption.trim().split("\\s+");
    for (int i = 0; i < words.length; i++) {
      if (!words[i].isEmpty()) {
        out.add(new Token(i, words[i]));
      }
    }
    return out;
  }
}
