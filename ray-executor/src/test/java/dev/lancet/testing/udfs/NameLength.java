package dev.lancet.testing.udfs;

/** Length of a string column; null stays null (boxed result). */
public class NameLength {
  public Integer call(String name) {
    return name.length();
  }
}
