package com.acme.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 in ONNX Runtime: the model and its tokenizer, loaded once, and sentence
 * embeddings (mean pooled over the tokens, unit length). Shared by the row-at-a-time and the
 * batched UDF.
 */
public final class MiniLm implements AutoCloseable {
  /** Width of an embedding. */
  public static final int DIM = 384;

  /** sentence-transformers' max_seq_length for this model. */
  private static final int MAX_TOKENS = 256;

  /** Sentences per ONNX Runtime call in {@link #embed(List)}: past ~32, padding costs more. */
  private static final int CHUNK = 32;

  private final OrtEnvironment env;
  private final OrtSession session;
  private final WordPiece tokenizer;

  private MiniLm(OrtEnvironment env, OrtSession session, WordPiece tokenizer) {
    this.env = env;
    this.session = session;
    this.tokenizer = tokenizer;
  }

  /** Loads the model and tokenizer from the class path (the model's jar), one core per session. */
  public static MiniLm load() throws OrtException, IOException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1); // one worker, one core: Lancet runs workers side by side
      session = env.createSession(resource("all-minilm-l6-v2.onnx"), options);
    }
    WordPiece tokenizer =
        WordPiece.fromTokenizerJson(
            new String(resource("all-minilm-l6-v2-tokenizer.json"), StandardCharsets.UTF_8),
            MAX_TOKENS);
    return new MiniLm(env, session, tokenizer);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = MiniLm.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is not on the UDF's class path (its model jar)");
      }
      return in.readAllBytes();
    }
  }

  /** One sentence's embedding. */
  public float[] embed(String text) throws OrtException {
    return embed(List.of(text))[0];
  }

  /**
   * The embeddings of many sentences, in their order. Sentences of similar length go to ONNX
   * Runtime together, {@value #CHUNK} at a time, so little is spent on padding.
   */
  public float[][] embed(List<String> texts) throws OrtException {
    long[][] ids = new long[texts.size()][];
    Integer[] order = new Integer[ids.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = tokenizer.encode(texts.get(i));
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> ids[i].length));
    float[][] out = new float[ids.length][];
    for (int from = 0; from < order.length; from += CHUNK) {
      Integer[] chunk = Arrays.copyOfRange(order, from, Math.min(order.length, from + CHUNK));
      float[][] pooled = run(chunk, ids);
      for (int k = 0; k < chunk.length; k++) {
        out[chunk[k]] = pooled[k];
      }
    }
    return out;
  }

  /** One ONNX Runtime call over sentences padded to the longest; pooling skips the padding. */
  private float[][] run(Integer[] chunk, long[][] ids) throws OrtException {
    int n = chunk.length;
    int width = ids[chunk[n - 1]].length; // sorted by length: the last is the longest
    long[] flatIds = new long[n * width];
    long[] mask = new long[n * width];
    for (int k = 0; k < n; k++) {
      long[] s = ids[chunk[k]];
      System.arraycopy(s, 0, flatIds, k * width, s.length);
      Arrays.fill(mask, k * width, k * width + s.length, 1);
    }
    long[] shape = {n, width};
    try (OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(flatIds), shape);
        OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * width]), shape);
        OrtSession.Result result =
            session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t))) {
      FloatBuffer hidden = ((OnnxTensor) result.get("last_hidden_state").get()).getFloatBuffer();
      float[][] pooled = new float[n][DIM];
      for (int k = 0; k < n; k++) {
        int tokens = ids[chunk[k]].length;
        float[] p = pooled[k];
        for (int tok = 0; tok < tokens; tok++) {
          int base = (k * width + tok) * DIM;
          for (int d = 0; d < DIM; d++) {
            p[d] += hidden.get(base + d);
          }
        }
        double norm = 0;
        for (int d = 0; d < DIM; d++) {
          p[d] /= tokens;
          norm += (double) p[d] * p[d];
        }
        float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
        for (int d = 0; d < DIM; d++) {
          p[d] *= scale;
        }
      }
      return pooled;
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
