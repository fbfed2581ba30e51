package dev.lancet.spark.views;

import dev.lancet.lance.LanceDatasets;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.lance.Dataset;

/**
 * The groups a partitioned view's refresh computes again: the {@code PARTITION BY} values of the
 * source rows in changed fragments, read through Lance at the version that had them (a deleted
 * row's at the view's source version, a new row's now), as SQL literals.
 */
final class GroupKeys {
  private final TableLocation source;
  private final String key;
  private final Set<Object> values = new java.util.LinkedHashSet<>();

  GroupKeys(TableLocation source, String key) {
    this.source = source;
    this.key = key;
  }

  /** Refuses a key whose type has no plain SQL literal (integers and strings do). */
  static void check(String view, TableLocation source, String key) {
    try (Dataset d = LanceDatasets.open(source.uri(), source.storageOptions())) {
      Field field =
          d.getSchema().getFields().stream()
              .filter(f -> f.getName().equals(key))
              .findFirst()
              .orElseThrow(
                  () ->
                      new LancetException(
                          ErrorCode.LANCET_COLUMN_NOT_FOUND,
                          "materialized view "
                              + view
                              + ": PARTITION BY ("
                              + key
                              + ") is not a column of its source"));
      ArrowType type = field.getType();
      if (!(type instanceof ArrowType.Int)
          && !(type instanceof ArrowType.Utf8)
          && !(type instanceof ArrowType.LargeUtf8)) {
        throw new LancetException(
            ErrorCode.LANCET_UNSUPPORTED,
            "materialized view "
                + view
                + ": PARTITION BY ("
                + key
                + ") is a "
                + type
                + "; a group's key is an integer or a string");
      }
    }
  }

  /**
   * Adds the keys of fragment {@code fragmentId}'s rows at {@code version}, but those at {@code
   * except} addresses (null: none).
   */
  void addAll(long version, int fragmentId, Set<Long> except) {
    FragmentRows.forEach(
        source,
        version,
        fragmentId,
        key,
        null,
        (batch, i, address) -> {
          if (except == null || !except.contains(address)) {
            Object value = batch.getVector(key).getObject(i);
            if (value != null) {
              values.add(normal(value));
            }
          }
        });
  }

  /** The addresses of fragment {@code fragmentId}'s live rows at {@code version}. */
  Set<Long> liveAddresses(long version, int fragmentId) {
    Set<Long> out = new HashSet<>();
    FragmentRows.forEach(
        source, version, fragmentId, key, null, (batch, i, address) -> out.add(address));
    return out;
  }

  /** The keys found (numbers and strings), in the order found. */
  List<Object> values() {
    return new ArrayList<>(values);
  }

  /**
   * A key as the views keep it: an integer as a {@code Long} (whatever its width, so a key read
   * from a file and one read from a view's state are equal), anything else as its text.
   */
  static Object normal(Object value) {
    return value instanceof Number n ? (Object) n.longValue() : value.toString();
  }

  /**
   * The expression a partitioned view's table function calls pass as the address of a group they
   * skip under {@code on_error = 'skip'}: a hash of its key's text, which {@link #hashOf} maps back
   * on the driver (a group has no one source row).
   */
  static String hashExpression(String key) {
    return "xxhash64(CAST(`" + key.replace("`", "``") + "` AS STRING))";
  }

  /** Spark's {@code xxhash64(CAST(key AS STRING))} of a key ({@link #hashExpression}). */
  static long hashOf(Object key) {
    return org.apache.spark.sql.catalyst.expressions.XXH64.hashUTF8String(
        org.apache.spark.unsafe.types.UTF8String.fromString(String.valueOf(normal(key))), 42L);
  }

  /** A key as a Spark SQL literal. */
  static String sparkLiteral(Object value) {
    if (value instanceof Number) {
      return value.toString();
    }
    return "'" + value.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A key as a literal of Lance's filters (SQL's: a quote doubled, no backslash escapes). */
  static String lanceLiteral(Object value) {
    if (value instanceof Number) {
      return value.toString();
    }
    return "'" + value.toString().replace("'", "''") + "'";
  }
}
