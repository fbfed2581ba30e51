package com.acme.features;

import com.google.common.base.Objects;

/**
 * A feature built against an older Guava (18) than the one Lancet's engine carries (33), bundled
 * into the user's jar: {@code Objects.toStringHelper} was removed in Guava 21, so on the engine's
 * Guava this fails with {@code NoSuchMethodError}. Lancet runs a UDF's jars in a class loader of
 * their own, its jars first, so it runs with the Guava it was built against.
 */
public class ClipLabel {
  public String call(String filename) {
    return Objects.toStringHelper("clip").add("file", filename).toString();
  }
}
