package dev.lancet.examples;

import dev.lancet.udf.Udf;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The same feature as {@link FilenameLength}, as a record-batch UDF: it receives a {@code
 * VectorSchemaRoot} holding the columns it names in {@code inputs} (every column of the table when
 * it names none) and returns one vector.
 *
 * <pre>
 * ALTER TABLE videos ADD COLUMN filename_len2 USING UDF 'dev.lancet.examples.FilenameLengthBatch'
 * </pre>
 */
@Udf(
    type = "int",
    inputs = {"filename"})
public class FilenameLengthBatch {
  private final FilenameLength lengths = new FilenameLength();

  public IntVector call(VectorSchemaRoot batch) {
    return lengths.call((VarCharVector) batch.getVector("filename"));
  }
}
