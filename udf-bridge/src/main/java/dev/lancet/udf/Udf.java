package dev.lancet.udf;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Optional settings on a UDF class. A registration (SQL {@code OPTIONS}, INPUTS, a declared type)
 * overrides each of them.
 *
 * <pre>{@code
 * @Udf(type = "int", batchSize = 4096)
 * public class FilenameLength {
 *   public IntVector call(VarCharVector filename) { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Udf {
  /** Output type string; required for batched and record-batch UDFs, which return vectors. */
  String type() default "";

  /** Input columns; for a record-batch UDF, the subset of the table's columns it receives. */
  String[] inputs() default {};

  /** Rows per batch; 0 for the backfill's default. */
  int batchSize() default 0;

  /** CPUs each worker needs (a Ray resource request). */
  double numCpus() default 1;

  /** GPUs each worker needs (a Ray resource request). */
  double numGpus() default 0;

  /** Memory in bytes each worker needs (a Ray resource request); 0 for none. */
  long memory() default 0;

  /** What a row whose UDF call throws gets: {@code fail} the backfill, or {@code null}. */
  String onError() default "fail";

  /** With {@code onError = "null"}: the backfill still fails above this fraction of failed rows. */
  double maxErrorFraction() default 0.1;

  /**
   * Whether the output may hold nulls; a batched UDF returning nulls into a non-null column fails.
   */
  boolean nullable() default true;

  /**
   * The option keys the UDF's {@code Map<String, String>} constructor accepts. When given, a
   * registration with any other key (not one of Lancet's own, {@link UdfRegistration#RESERVED}) is
   * refused, with the closest known key suggested. Without it, a UDF with such a constructor
   * accepts any key, and a UDF without one accepts none.
   */
  String[] options() default {};
}
