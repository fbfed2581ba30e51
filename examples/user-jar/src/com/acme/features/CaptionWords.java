package com.acme.features;

import dev.lancet.udf.Udf;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * A batched UDF of the user's own: one call per Arrow batch, the words of each caption. It needs
 * Arrow's vector classes to compile, besides the udf-bridge jar (README, "Your own UDF jar").
 */
@Udf(type = "int")
public class CaptionWords {
  public IntVector call(VarCharVector caption) {
    IntVector words = new IntVector("words", caption.getAllocator());
    int n = caption.getValueCount();
    words.allocateNew(n);
    for (int i = 0; i < n; i++) {
      if (caption.isNull(i)) {
        words.setNull(i);
      } else {
        String text = new String(caption.get(i), java.nio.charset.StandardCharsets.UTF_8).strip();
        words.set(i, text.isEmpty() ? 0 : text.split("\\s+").length);
      }
    }
    words.setValueCount(n);
    return words;
  }
}
