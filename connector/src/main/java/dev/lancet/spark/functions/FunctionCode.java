package dev.lancet.spark.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lancet.backfill.PinnedCode;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.PinnedJar;
import java.util.List;
import java.util.Map;

/**
 * The pinned code of a materialized view's 1:N UDFs: the jars (published to the jar store of the
 * table at {@code store}) they load from, in a class loader of their own (their jars first, so
 * their library versions win over Spark's and Lancet's), whatever the session's class path holds. A
 * view's query is analyzed in a {@link FunctionScope} with them, so each table function it plans
 * loads from these jars on the driver and carries them to every executor, which fetches them from
 * the store once.
 *
 * @param store the URI of the table whose jar store holds the jars
 * @param jars the jars, in class-path order
 * @param catalog the name of the store's catalog, whose storage options reach the store (null: none
 *     needed, or the environment's)
 */
public record FunctionCode(String store, List<PinnedJar> jars, String catalog) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public FunctionCode {
    jars = List.copyOf(jars);
  }

  /** The class loader of the jars, fetched from the store the first time in this JVM. */
  ClassLoader loader() {
    return PinnedCode.loaderOf(new TableLocation(store, storageOptions()), jars);
  }

  /**
   * The store's storage options: its catalog's ({@code spark.sql.catalog.<name>.storage.*}), from
   * the session's configuration on the driver and from the configuration every executor starts
   * with. The plan carries only the catalog's name: the options hold credentials, and Spark's UI
   * shows plans.
   */
  private Map<String, String> storageOptions() {
    if (catalog == null) {
      return Map.of();
    }
    String prefix = "spark.sql.catalog." + catalog + ".storage.";
    Map<String, String> out = new java.util.HashMap<>();
    scala.Option<org.apache.spark.sql.SparkSession> session =
        org.apache.spark.sql.SparkSession.getActiveSession();
    if (session.isDefined()) {
      session
          .get()
          .conf()
          .getAll()
          .foreach(
              kv -> {
                if (kv._1().startsWith(prefix)) {
                  out.put(kv._1().substring(prefix.length()), kv._2());
                }
                return null;
              });
    } else if (org.apache.spark.SparkEnv.get() != null) {
      for (scala.Tuple2<String, String> kv :
          org.apache.spark.SparkEnv.get().conf().getAllWithPrefix(prefix)) {
        out.put(kv._1(), kv._2());
      }
    }
    return out;
  }

  /** As a plan's literal: what an executor reads back with {@link #fromJson}. */
  String json() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The code {@link #json} wrote; null for an empty text (the session's class loader). */
  static FunctionCode fromJson(String json) {
    if (json.isEmpty()) {
      return null;
    }
    try {
      return JSON.readValue(json, FunctionCode.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable function code " + json, e);
    }
  }
}
