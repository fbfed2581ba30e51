package dev.lancet.testing.udfs;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** UDFs that count their calls and can run a hook once, for incremental and concurrency tests. */
public final class Counting {
  private Counting() {}

  /** Rows computed by any counting UDF in this JVM. */
  public static final AtomicLong CALLS = new AtomicLong();

  /**
   * Runs once, on the next call, then clears itself: a concurrent writer in the middle of a
   * backfill.
   */
  public static final AtomicReference<Runnable> HOOK = new AtomicReference<>();

  /** Ids at or above this fail (for crash-like tests); Integer.MAX_VALUE means none. */
  public static volatile int failFrom = Integer.MAX_VALUE;

  /** Whether {@link Scenes} fails on a group with a frame of negative brightness. */
  public static volatile boolean failNegative = false;

  /** Milliseconds each call sleeps first (a child JVM's slow refresh, to kill it midway). */
  public static volatile long delayMillis = 0;

  private static void tick(int id) {
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    CALLS.incrementAndGet();
    Runnable hook = HOOK.getAndSet(null);
    if (hook != null) {
      hook.run();
    }
    if (id >= failFrom) {
      throw new IllegalStateException("failing on purpose at id " + id);
    }
  }

  /** Groups {@link Scenes} was called for. */
  public static final AtomicLong GROUP_CALLS = new AtomicLong();

  /**
   * An N:M UDF, counted per group: a video's frames in, its scenes out (a cut where brightness
   * jumps by more than 0.3).
   */
  public static class Scenes {
    /** One frame of the group. */
    public record Frame(int frame, double brightness) {}

    /** One scene. */
    public record Scene(int scene, int first, int last) {}

    public java.util.List<Scene> call(java.util.List<Frame> frames) {
      GROUP_CALLS.incrementAndGet();
      for (Frame f : frames) {
        if (failNegative && f.brightness() < 0) {
          throw new IllegalStateException("negative brightness in frame " + f.frame());
        }
      }
      java.util.List<Frame> sorted = new java.util.ArrayList<>(frames);
      sorted.sort(java.util.Comparator.comparingInt(Frame::frame));
      java.util.List<Scene> out = new java.util.ArrayList<>();
      int start = 0;
      for (int i = 1; i <= sorted.size(); i++) {
        if (i == sorted.size()
            || Math.abs(sorted.get(i).brightness() - sorted.get(i - 1).brightness()) > 0.3) {
          out.add(new Scene(out.size(), sorted.get(start).frame(), sorted.get(i - 1).frame()));
          start = i;
        }
      }
      return out;
    }
  }

  /** Rows computed by {@link NameSize}, counted apart from {@link #CALLS}. */
  public static final AtomicLong NAME_CALLS = new AtomicLong();

  /** The length of the row's name, counted apart: a second column beside {@link Area}. */
  public static class NameSize {
    public int call(String name) {
      NAME_CALLS.incrementAndGet();
      return name.length();
    }
  }

  /** x * y of the row, counted; a {@code note} option changes its version only. */
  @dev.lancet.udf.Udf(options = {"note"})
  public static class Area {
    public long call(int id, int x, int y) {
      tick(id);
      return (long) x * y;
    }
  }

  /** x * y for even ids, null on purpose for odd ones, counted: null is a computed value. */
  public static class EvenArea {
    public Long call(int id, int x, int y) {
      tick(id);
      return id % 2 == 0 ? (long) x * y : null;
    }
  }

  /** Sum, product and a label of x and y, counted: one call per row for three sibling columns. */
  @dev.lancet.udf.Udf(options = {"note"})
  public static class Shape {
    /** The three values; a row whose x is negative has no shape (a null record). */
    public record Measures(long sum, long product, String label) {}

    public Measures call(int id, int x, int y) {
      tick(id);
      return x < 0 ? null : new Measures(x + y, (long) x * y, x + "x" + y);
    }
  }

  /** Like {@link Shape}, another version: the product doubled. */
  public static class ShapeV2 {
    public Shape.Measures call(int id, int x, int y) {
      tick(id);
      return new Shape.Measures(x + y, 2L * x * y, x + "x" + y);
    }
  }

  /**
   * A batched UDF returning a struct vector, counted per row: x + 1 and x's parity, for sibling
   * columns; a row whose x is null has a null struct.
   */
  @dev.lancet.udf.Udf(type = "struct<next:int,parity:string>")
  public static class NextAndParity {
    public org.apache.arrow.vector.complex.StructVector call(org.apache.arrow.vector.IntVector x) {
      int rows = x.getValueCount();
      org.apache.arrow.vector.complex.StructVector out =
          org.apache.arrow.vector.complex.StructVector.empty("out", x.getAllocator());
      org.apache.arrow.vector.IntVector next =
          out.addOrGet(
              "next",
              org.apache.arrow.vector.types.pojo.FieldType.nullable(
                  new org.apache.arrow.vector.types.pojo.ArrowType.Int(32, true)),
              org.apache.arrow.vector.IntVector.class);
      org.apache.arrow.vector.VarCharVector parity =
          out.addOrGet(
              "parity",
              org.apache.arrow.vector.types.pojo.FieldType.nullable(
                  new org.apache.arrow.vector.types.pojo.ArrowType.Utf8()),
              org.apache.arrow.vector.VarCharVector.class);
      out.setInitialCapacity(rows);
      out.allocateNew();
      for (int i = 0; i < rows; i++) {
        CALLS.incrementAndGet();
        if (x.isNull(i)) {
          out.setNull(i);
          continue;
        }
        out.setIndexDefined(i);
        next.setSafe(i, x.get(i) + 1);
        parity.setSafe(
            i,
            (x.get(i) % 2 == 0 ? "even" : "odd").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      next.setValueCount(rows);
      parity.setValueCount(rows);
      out.setValueCount(rows);
      return out;
    }
  }

  /** A 1:N UDF, counted: the words of a text, each with its position; none for a null text. */
  public static class Words {
    /** One derived row. */
    public record Word(int position, String word) {}

    private final String separator;

    public Words(java.util.Map<String, String> options) {
      this.separator = options.getOrDefault("separator", " ");
    }

    public java.util.List<Word> call(int id, String text) {
      tick(id);
      if (text == null) {
        return null;
      }
      java.util.List<Word> out = new java.util.ArrayList<>();
      String[] words = text.split(java.util.regex.Pattern.quote(separator));
      for (int i = 0; i < words.length; i++) {
        if (!words[i].isEmpty()) {
          out.add(new Word(i, words[i]));
        }
      }
      return out;
    }
  }

  /** A 1:N UDF of plain values: 0, 1, ..., n - 1. */
  public static class Upto {
    public Iterable<Long> call(int n) {
      java.util.List<Long> out = new java.util.ArrayList<>();
      for (long i = 0; i < n; i++) {
        out.add(i);
      }
      return out;
    }
  }

  /** name + suffix option, counted: a string column. */
  public static class Label {
    private final String suffix;

    public Label(java.util.Map<String, String> options) {
      this.suffix = options.getOrDefault("suffix", "");
    }

    public String call(int id, String name) {
      tick(id);
      return name + suffix;
    }
  }
}
