package dev.lancet.udf;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The definition of a virtual column: which class computes it, from which input columns, with which
 * output type and how it runs. It is stored as JSON in the Lance field metadata under {@link
 * #METADATA_KEY}, never as serialized Java, so opening a table never loads or runs user code.
 *
 * @param className fully qualified name of the UDF class
 * @param kind how the UDF receives input
 * @param inputs the table columns passed to the UDF, in parameter order
 * @param outputType the output type string (see {@link dev.lancet.udf.types.TypeStrings})
 * @param nullable whether the output may hold nulls
 * @param options options passed to the UDF's {@code Map<String, String>} constructor
 * @param batchSize rows per batch, or null for the backfill's default
 * @param maxInFlight calls of a scalar or async UDF outstanding at once per worker, or null for the
 *     default (1 for a scalar UDF, {@value #DEFAULT_ASYNC_IN_FLIGHT} for an async one)
 * @param resources what each worker needs
 * @param errorPolicy what a row whose UDF call throws gets
 * @param codeHash identity of the UDF's code at registration: bytecode hash and jar checksum
 *     ({@link CodeIdentity})
 * @param jars the pinned code: the jars the UDF's class loader holds (its jar and its
 *     dependencies), recorded at registration and run by every backfill; empty when the UDF is on
 *     the engine's class path
 */
public record UdfSpec(
    String className,
    UdfKind kind,
    List<String> inputs,
    String outputType,
    boolean nullable,
    Map<String, String> options,
    Integer batchSize,
    Integer maxInFlight,
    UdfResources resources,
    ErrorPolicy errorPolicy,
    String codeHash,
    List<PinnedJar> jars) {

  /** Calls an async UDF has outstanding per worker unless max_in_flight says otherwise. */
  public static final int DEFAULT_ASYNC_IN_FLIGHT = 64;

  /** Field-metadata key under which a virtual column's spec is stored. */
  public static final String METADATA_KEY = "lancet.udf";

  /**
   * Field-metadata key of sibling columns' lead (the field carrying the spec): a JSON array of the
   * sibling columns' names, in order. The UDF's output is a struct whose fields the siblings store
   * as top-level columns, one per field.
   */
  public static final String SIBLINGS_KEY = "lancet.siblings";

  /** Field-metadata key of a sibling column other than the lead: the lead's name. */
  public static final String SIBLING_OF_KEY = "lancet.sibling_of";

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
    resources = resources == null ? UdfResources.DEFAULT : resources;
    errorPolicy = errorPolicy == null ? ErrorPolicy.FAIL : errorPolicy;
    codeHash = codeHash == null ? "" : codeHash;
    jars = jars == null ? List.of() : List.copyOf(jars);
    if (maxInFlight != null && maxInFlight < 1) {
      throw new UdfException(
          ErrorCode.LANCET_INVALID_OPTION, "max_in_flight must be at least 1, got " + maxInFlight);
    }
  }

  /** Calls outstanding at once per worker: max_in_flight, or the kind's default. */
  public int callsInFlight() {
    return maxInFlight != null ? maxInFlight : kind == UdfKind.ASYNC ? DEFAULT_ASYNC_IN_FLIGHT : 1;
  }

  /**
   * A stable hash of everything that determines the column's values: the class, its inputs, the
   * output type, the UDF's options and its code (bytecode and jar checksum). A new version means
   * previously computed values are stale. How the UDF runs (batch size, calls in flight, resources,
   * error policy) does not change its values, so it is not part of the version.
   */
  public String version() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String values =
          JSON.writeValueAsString(
              new ValueJson(
                  className,
                  kind,
                  inputs,
                  outputType,
                  nullable,
                  new TreeMap<>(options),
                  codeHash,
                  jars.isEmpty() ? null : jars.stream().map(PinnedJar::sha256).toList()));
      sha.update(values.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same spec with the code identity of the class as it is now (see {@link CodeIdentity}). */
  public UdfSpec withCodeHash(String newCodeHash) {
    return toBuilder().codeHash(newCodeHash).build();
  }

  /** The same spec under another error policy (a per-run override). */
  public UdfSpec withErrorPolicy(ErrorPolicy policy) {
    return toBuilder().errorPolicy(policy).build();
  }

  /** The same spec running the pinned code {@code pinned} (see {@link PinnedJar}). */
  public UdfSpec withJars(List<PinnedJar> pinned) {
    return toBuilder().jars(pinned).build();
  }

  /** The same spec reading other input columns. */
  public UdfSpec withInputs(List<String> newInputs) {
    return toBuilder().inputs(newInputs).build();
  }

  /** The spec as JSON, keys in a stable order. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(
          new Json(
              className,
              kind,
              inputs,
              outputType,
              nullable,
              new TreeMap<>(options),
              batchSize,
              maxInFlight,
              resources,
              errorPolicy,
              codeHash,
              jars));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write UdfSpec as JSON", e);
    }
  }

  /** Reads a spec written by {@link #toJson()}. */
  public static UdfSpec fromJson(String json) {
    try {
      Json j = JSON.readValue(json, Json.class);
      return new UdfSpec(
          j.className,
          j.kind,
          j.inputs == null ? List.of() : j.inputs,
          j.outputType,
          j.nullable == null || j.nullable,
          j.options,
          j.batchSize,
          j.maxInFlight,
          j.resources,
          j.errorPolicy,
          j.codeHash,
          j.jars);
    } catch (JsonProcessingException | NullPointerException e) {
      throw new UdfException(
          "not a valid Lancet UDF definition ("
              + METADATA_KEY
              + "): "
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
  }

  /** What determines the values, in a stable shape for {@link #version()}. */
  private record ValueJson(
      String className,
      UdfKind kind,
      List<String> inputs,
      String outputType,
      boolean nullable,
      Map<String, String> options,
      String codeHash,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> jars) {}

  /** The plain JSON shape, kept apart so the record's API carries no Jackson annotations. */
  private record Json(
      String className,
      UdfKind kind,
      List<String> inputs,
      String outputType,
      Boolean nullable,
      Map<String, String> options,
      Integer batchSize,
      Integer maxInFlight,
      UdfResources resources,
      ErrorPolicy errorPolicy,
      String codeHash,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PinnedJar> jars) {}

  /** A builder holding this udfSpec's values, to change some. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.className = className;
    b.kind = kind;
    b.inputs = inputs;
    b.outputType = outputType;
    b.nullable = nullable;
    b.options = options;
    b.batchSize = batchSize;
    b.maxInFlight = maxInFlight;
    b.resources = resources;
    b.errorPolicy = errorPolicy;
    b.codeHash = codeHash;
    b.jars = jars;
    return b;
  }

  /** Builds a {@link UdfSpec} one value at a time; unset values are null, zero or false. */
  public static final class Builder {
    private String className;
    private UdfKind kind;
    private List<String> inputs;
    private String outputType;
    private boolean nullable;
    private Map<String, String> options;
    private Integer batchSize;
    private Integer maxInFlight;
    private UdfResources resources;
    private ErrorPolicy errorPolicy;
    private String codeHash;
    private List<PinnedJar> jars;

    /** Sets {@code className}. */
    public Builder className(String value) {
      this.className = value;
      return this;
    }

    /** Sets {@code kind}. */
    public Builder kind(UdfKind value) {
      this.kind = value;
      return this;
    }

    /** Sets {@code inputs}. */
    public Builder inputs(List<String> value) {
      this.inputs = value;
      return this;
    }

    /** Sets {@code outputType}. */
    public Builder outputType(String value) {
      this.outputType = value;
      return this;
    }

    /** Sets {@code nullable}. */
    public Builder nullable(boolean value) {
      this.nullable = value;
      return this;
    }

    /** Sets {@code options}. */
    public Builder options(Map<String, String> value) {
      this.options = value;
      return this;
    }

    /** Sets {@code batchSize}. */
    public Builder batchSize(Integer value) {
      this.batchSize = value;
      return this;
    }

    /** Sets {@code maxInFlight}. */
    public Builder maxInFlight(Integer value) {
      this.maxInFlight = value;
      return this;
    }

    /** Sets {@code resources}. */
    public Builder resources(UdfResources value) {
      this.resources = value;
      return this;
    }

    /** Sets {@code errorPolicy}. */
    public Builder errorPolicy(ErrorPolicy value) {
      this.errorPolicy = value;
      return this;
    }

    /** Sets {@code jars}. */
    public Builder jars(List<PinnedJar> value) {
      this.jars = value;
      return this;
    }

    /** Sets {@code codeHash}. */
    public Builder codeHash(String value) {
      this.codeHash = value;
      return this;
    }

    /** The udfSpec. */
    public UdfSpec build() {
      return new UdfSpec(
          className,
          kind,
          inputs,
          outputType,
          nullable,
          options,
          batchSize,
          maxInFlight,
          resources,
          errorPolicy,
          codeHash,
          jars);
    }
  }
}
