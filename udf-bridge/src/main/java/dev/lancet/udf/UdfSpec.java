package dev.lancet.udf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The definition of a virtual column: which class computes it, from which input columns, with
 * which output type. It is stored as JSON in the Lance field metadata under {@link #METADATA_KEY},
 * never as serialized Java, so opening a table never loads or runs user code.
 *
 * @param className fully qualified name of the UDF class
 * @param kind how the UDF receives input
 * @param inputs the table columns passed to the UDF, in parameter order
 * @param outputType the output type as a short type string (Spark DDL style, e.g. {@code bigint})
 * @param options user options given at registration
 * @param version stable hash of everything above and of the class bytecode: a new version means
 *     previously computed values are stale
 */
public record UdfSpec(
    String className,
    UdfKind kind,
    List<String> inputs,
    String outputType,
    Map<String, String> options,
    String version) {

  /** Field-metadata key under which a virtual column's spec is stored. */
  public static final String METADATA_KEY = "lancet.udf";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public UdfSpec {
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outputType, "outputType");
    inputs = List.copyOf(inputs);
    options = Map.copyOf(options == null ? Map.of() : options);
    version = version == null ? "" : version;
  }

  /** The spec as JSON, keys in a stable order. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(new Json(className, kind, inputs, outputType, new TreeMap<>(options), version));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write UdfSpec as JSON", e);
    }
  }

  /** Reads a spec written by {@link #toJson()}. */
  public static UdfSpec fromJson(String json) {
    try {
      Json j = JSON.readValue(json, Json.class);
      return new UdfSpec(j.className, j.kind, j.inputs == null ? List.of() : j.inputs, j.outputType, j.options, j.version);
    } catch (JsonProcessingException e) {
      throw new UdfException("not a valid Lancet UDF definition (" + METADATA_KEY + "): " + e.getOriginalMessage());
    }
  }

  /** The plain JSON shape; kept separate so the record's API does not carry Jackson annotations. */
  private record Json(
      String className,
      UdfKind kind,
      List<String> inputs,
      String outputType,
      Map<String, String> options,
      String version) {}
}
