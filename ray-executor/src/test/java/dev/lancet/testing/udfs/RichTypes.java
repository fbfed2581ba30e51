package dev.lancet.testing.udfs;

import dev.lancet.udf.Udf;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.IntVector;

/** UDFs producing every richer type, for backfills through Lance. */
public final class RichTypes {
  private RichTypes() {}

  public record Profile(String name, int size) {}

  public static class MakeProfile {
    public Profile call(String name, int x) {
      return new Profile(name, x);
    }
  }

  public static class Words {
    public List<String> call(String name) {
      return List.of(name.split("-"));
    }
  }

  public static class Counts {
    public Map<String, Integer> call(String name, int x) {
      Map<String, Integer> m = new LinkedHashMap<>();
      m.put(name, x);
      m.put("x", x);
      return m;
    }
  }

  @Udf(type = "decimal(12,2)")
  public static class Price {
    public BigDecimal call(int id) {
      return BigDecimal.valueOf(id * 125L, 2);
    }
  }

  public static class Day {
    public LocalDate call(int id) {
      return LocalDate.of(2026, 1, 1).plusDays(id);
    }
  }

  public static class Stamp {
    public Instant call(int id) {
      return Instant.parse("2026-01-01T00:00:00Z").plusMillis(id * 1001L);
    }
  }

  @Udf(type = "float[3]")
  public static class Vec {
    public float[] call(int x, int y) {
      return new float[] {x, y, x * y};
    }
  }

  /** Fails on ids divisible by 5. */
  @Udf(onError = "null", maxErrorFraction = 0.5)
  public static class Picky {
    public int call(int id) {
      if (id % 5 == 0) {
        throw new IllegalArgumentException("no multiples of five: " + id);
      }
      return id;
    }
  }

  @Udf(type = "int")
  public static class ShortBatch {
    public IntVector call(IntVector id) {
      IntVector out = new IntVector("short", id.getAllocator());
      out.allocateNew(1);
      out.set(0, 1);
      out.setValueCount(1);
      return out;
    }
  }
}
