package dev.lancet.udf;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a registration's option keys against what the UDF accepts ({@link Udf#options()}, or any
 * key for an undeclared {@code Map<String, String>} constructor, or none) and Lancet's own keys; a
 * typo is refused with the closest known key.
 */
public final class OptionKeys {
  private OptionKeys() {}

  /**
   * @param udfName the class, for messages
   * @param given the UDF options of the registration (Lancet's keys already taken out)
   * @param takesOptions whether the class has a {@code Map<String, String>} constructor
   * @param declared the keys of {@code @Udf(options)}, empty when not declared
   */
  static void check(
      String udfName, Collection<String> given, boolean takesOptions, List<String> declared) {
    if (takesOptions && declared.isEmpty()) {
      return; // the UDF reads what it wants from the map: documented
    }
    Set<String> known = new TreeSet<>(UdfRegistration.RESERVED);
    known.addAll(declared);
    for (String key : given) {
      if (declared.contains(key)
          || UdfRegistration.RESERVED.contains(key.toLowerCase(Locale.ROOT))) {
        continue;
      }
      String nearest = nearest(key, known);
      throw new UdfException(
          ErrorCode.LANCET_INVALID_OPTION,
          "UDF "
              + udfName
              + ": unknown option '"
              + key
              + "'"
              + (nearest == null ? "" : " (did you mean '" + nearest + "'?)")
              + "; "
              + (declared.isEmpty()
                  ? "the UDF takes no options of its own"
                  : "its options are " + declared)
              + ", Lancet's are "
              + new TreeSet<>(UdfRegistration.RESERVED));
    }
  }

  /**
   * The known key closest to {@code key} (edit distance at most a third of its length), or null.
   */
  public static String nearest(String key, Collection<String> known) {
    String k = key.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(k, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      row[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        row[j] = Math.min(Math.min(row[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = row;
      row = swap;
    }
    return previous[b.length()];
  }
}
