package dev.lancet.spark.views;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.Locale;

/**
 * The options of a materialized view's build and refreshes, each null when not given: {@code CREATE
 * MATERIALIZED VIEW v OPTIONS (...)} keeps them with the view, {@code REFRESH ... OPTIONS (...)}
 * gives them for one run. One precedence rule: the run's, then the view's, then the default.
 *
 * @param fragmentsPerCommit source fragments computed per commit (default {@value
 *     #FRAGMENTS_PER_COMMIT})
 * @param onError what a source row whose 1:N UDF throws gets: the statement fails ({@code fail},
 *     the default), or it gets no derived rows and is recorded ({@code skip})
 * @param maxErrorFraction under {@code skip}, the run fails once more than this fraction of the
 *     source rows it computed failed (default {@value #MAX_ERROR_FRACTION})
 */
public record ViewOptions(Integer fragmentsPerCommit, OnError onError, Double maxErrorFraction) {
  /** Source fragments a refresh computes per commit by default. */
  public static final int FRAGMENTS_PER_COMMIT = 16;

  /** The failed fraction of computed source rows a run tolerates by default under skip. */
  public static final double MAX_ERROR_FRACTION = 0.1;

  /** None given. */
  public static final ViewOptions NONE = new ViewOptions(null, null, null);

  /** What a source row whose UDF throws gets. */
  public enum OnError {
    /** The statement fails in one line, with the row's inputs. */
    FAIL,
    /** The row gets no derived rows; it is recorded and computed again by the next refresh. */
    SKIP
  }

  /**
   * The option {@code key} set to {@code value} over these; fails in one line naming what it takes
   * (an unknown key, a value out of range).
   */
  public ViewOptions with(String key, String value) {
    String v = value == null ? "" : value.strip();
    switch (key.toLowerCase(Locale.ROOT)) {
      case "fragments_per_commit" -> {
        int n;
        try {
          n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
          n = -1;
        }
        if (n <= 0) {
          throw invalid("'fragments_per_commit' must be a positive integer, got '" + v + "'");
        }
        return new ViewOptions(n, onError, maxErrorFraction);
      }
      case "on_error" -> {
        OnError e =
            switch (v.toLowerCase(Locale.ROOT)) {
              case "fail" -> OnError.FAIL;
              case "skip" -> OnError.SKIP;
              default -> throw invalid("'on_error' must be 'fail' or 'skip', got '" + v + "'");
            };
        return new ViewOptions(fragmentsPerCommit, e, maxErrorFraction);
      }
      case "max_error_fraction" -> {
        double f;
        try {
          f = Double.parseDouble(v);
        } catch (NumberFormatException e) {
          f = -1;
        }
        if (!(f >= 0 && f <= 1)) {
          throw invalid("'max_error_fraction' must be a number from 0 to 1, got '" + v + "'");
        }
        return new ViewOptions(fragmentsPerCommit, onError, f);
      }
      default ->
          throw invalid(
              "unknown option '"
                  + key
                  + "'; a materialized view takes fragments_per_commit, on_error and"
                  + " max_error_fraction");
    }
  }

  private static LancetException invalid(String message) {
    return new LancetException(ErrorCode.LANCET_INVALID_OPTION, message);
  }

  /** These, with {@code base}'s where these give none. */
  public ViewOptions over(ViewOptions base) {
    if (base == null) {
      return this;
    }
    return new ViewOptions(
        fragmentsPerCommit != null ? fragmentsPerCommit : base.fragmentsPerCommit,
        onError != null ? onError : base.onError,
        maxErrorFraction != null ? maxErrorFraction : base.maxErrorFraction);
  }

  /** Source fragments per commit. */
  @JsonIgnore
  public int perCommit() {
    return fragmentsPerCommit != null ? fragmentsPerCommit : FRAGMENTS_PER_COMMIT;
  }

  /** Whether failing rows are skipped. */
  @JsonIgnore
  public boolean skips() {
    return onError == OnError.SKIP;
  }

  /** The failed fraction a run tolerates under skip. */
  @JsonIgnore
  public double errorFraction() {
    return maxErrorFraction != null ? maxErrorFraction : MAX_ERROR_FRACTION;
  }
}
