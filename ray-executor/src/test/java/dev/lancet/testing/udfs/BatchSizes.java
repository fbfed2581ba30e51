package dev.lancet.testing.udfs;

import dev.lancet.udf.Udf;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.arrow.vector.IntVector;

/** A batched UDF that records the size of every batch it is called with (the id, returned). */
@Udf(type = "int")
public class BatchSizes {
  /** The batch sizes of the calls in this JVM, in order. */
  public static final List<Integer> SIZES = new CopyOnWriteArrayList<>();

  public IntVector call(IntVector id) {
    SIZES.add(id.getValueCount());
    IntVector out = new IntVector("out", id.getAllocator());
    out.allocateNew(id.getValueCount());
    for (int i = 0; i < id.getValueCount(); i++) {
      out.set(i, id.get(i));
    }
    out.setValueCount(id.getValueCount());
    return out;
  }
}
