package dev.lancet.spark.conf;

import dev.lancet.udf.EngineChoice;
import dev.lancet.udf.LancetOption;
import dev.lancet.udf.UdfClassPolicy;
import org.apache.spark.sql.SparkSession;

/**
 * Lancet's settings of a Spark session, read once per statement.
 *
 * @param classPolicy which UDF classes may be loaded: Spark conf {@value #ALLOWED_PACKAGES}, else
 *     the JVM property {@value UdfClassPolicy#PROPERTY}
 * @param udfClassLoader where UDF classes load from: the session's class loader, which holds the
 *     jars of {@code --jars} and {@code ADD JAR}
 * @param spark the session
 * @param engine which engine computes backfills: Spark conf {@value #ENGINE} ({@code ray} or {@code
 *     spark}, default {@code ray}); a BACKFILL's {@code engine} option wins
 */
public record LancetConf(
    UdfClassPolicy classPolicy,
    ClassLoader udfClassLoader,
    SparkSession spark,
    EngineChoice engine) {
  /** The Spark conf key of the engine backfills run on. */
  public static final String ENGINE = "spark.lancet.backfill.engine";

  /** The Spark conf key of the allowed UDF packages. */
  public static final String ALLOWED_PACKAGES = "spark.lancet.udf.allowed-packages";

  /** Spark conf key of the SHA-256 checksums pinned jars may have (JVM property too). */
  public static final String ALLOWED_JARS = "spark.lancet.udf.allowed-jars";

  /** The settings of {@code spark} now. */
  public static LancetConf of(SparkSession spark) {
    String packages =
        spark
            .conf()
            .getOption(ALLOWED_PACKAGES)
            .getOrElse(() -> System.getProperty(UdfClassPolicy.PROPERTY));
    String jars =
        spark
            .conf()
            .getOption(ALLOWED_JARS)
            .getOrElse(() -> System.getProperty(UdfClassPolicy.JARS_PROPERTY));
    EngineChoice engine =
        (EngineChoice)
            LancetOption.ENGINE.parse(
                spark.conf().get(ENGINE, "ray"), "Spark conf " + ENGINE + " ");
    return new LancetConf(
        UdfClassPolicy.parse(packages, jars), spark.sharedState().jarClassLoader(), spark, engine);
  }
}
