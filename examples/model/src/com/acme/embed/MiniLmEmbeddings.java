package com.acme.embed;

import ai.onnxruntime.OrtException;
import dev.lancet.udf.Udf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * all-MiniLM-L6-v2 over a batch of sentences at a time (a batched UDF): the batch's sentences go
 * to ONNX Runtime in groups of similar length, which is how a Python user feeds a model too. Null
 * sentences give null embeddings.
 */
@Udf(type = "float[384]")
public class MiniLmEmbeddings implements AutoCloseable {
  private MiniLm model;

  public void setup() throws OrtException, IOException {
    model = MiniLm.load();
  }

  public FixedSizeListVector call(VarCharVector text, BufferAllocator allocator)
      throws OrtException {
    int rows = text.getValueCount();
    List<String> sentences = new ArrayList<>(rows);
    List<Integer> at = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      if (!text.isNull(r)) {
        sentences.add(text.getObject(r).toString());
        at.add(r);
      }
    }
    float[][] embedded = model.embed(sentences);
    FixedSizeListVector out = FixedSizeListVector.empty("embedding", MiniLm.DIM, allocator);
    out.addOrGetVector(
        FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
    out.setInitialCapacity(rows);
    out.allocateNew();
    Float4Vector data = (Float4Vector) out.getDataVector();
    for (int r = 0; r < rows; r++) {
      out.setNull(r);
    }
    for (int k = 0; k < embedded.length; k++) {
      int r = at.get(k);
      for (int d = 0; d < MiniLm.DIM; d++) {
        data.set(r * MiniLm.DIM + d, embedded[k][d]);
      }
      out.setNotNull(r);
    }
    data.setValueCount(rows * MiniLm.DIM);
    out.setValueCount(rows);
    return out;
  }

  @Override
  public void close() throws OrtException {
    if (model != null) {
      model.close();
    }
  }
}
