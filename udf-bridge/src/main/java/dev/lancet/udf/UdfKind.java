package dev.lancet.udf;

/** How a UDF receives its input. */
public enum UdfKind {
  /** One row at a time: a public {@code call} method whose parameters are column values. */
  SCALAR
}
