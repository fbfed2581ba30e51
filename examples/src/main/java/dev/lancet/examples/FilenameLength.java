package dev.lancet.examples;

import dev.lancet.udf.Udf;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * A batched UDF over Arrow arrays: the length of each file name. It gets the whole column of a
 * batch as a vector and returns a vector of the same length; the output type is declared, since a
 * vector class alone does not say it fully. Allocate the result from the input's allocator; Lancet
 * owns (and closes) what is returned.
 *
 * <pre>ALTER TABLE videos ADD COLUMN filename_len USING UDF 'dev.lancet.examples.FilenameLength'
 * </pre>
 */
@Udf(type = "int")
public class FilenameLength {
  public IntVector call(VarCharVector filename) {
    int rows = filename.getValueCount();
    IntVector lengths = new IntVector("filename_len", filename.getAllocator());
    lengths.allocateNew(rows);
    for (int i = 0; i < rows; i++) {
      if (filename.isNull(i)) {
        lengths.setNull(i);
      } else {
        lengths.set(i, new String(filename.get(i), StandardCharsets.UTF_8).length());
      }
    }
    lengths.setValueCount(rows);
    return lengths;
  }
}
