package dev.lancet.backfill.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;

/**
 * Windows built from runs of two sources and nulls, at every bit offset, hold exactly the values
 * they were given.
 */
class SlotRunsTest {
  private static final Field VEC =
      new Field(
          "vec",
          FieldType.nullable(new ArrowType.FixedSizeList(3)),
          List.of(
              new Field(
                  "item",
                  FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
                  null)));
  private static final Field AREA = Field.nullable("area", new ArrowType.Int(64, true));

  /**
   * Source a: row i is [i, i+.25, i+.5] (every 5th null, element 1 of every 7th null); source b:
   * negatives.
   */
  private static FixedSizeListVector vectors(BufferAllocator a, int n, float sign) {
    FixedSizeListVector v = (FixedSizeListVector) VEC.createVector(a);
    v.setInitialCapacity(n);
    v.allocateNew();
    Float4Vector d = (Float4Vector) v.getDataVector();
    for (int i = 0; i < n; i++) {
      if (sign > 0 && i % 5 == 0) {
        v.setNull(i);
        continue;
      }
      v.setNotNull(i);
      for (int k = 0; k < 3; k++) {
        if (sign > 0 && i % 7 == 3 && k == 1) {
          d.setNull(i * 3 + k);
        } else {
          d.set(i * 3 + k, sign * (i + k * 0.25f));
        }
      }
    }
    d.setValueCount(n * 3);
    v.setValueCount(n);
    return v;
  }

  private static List<Object> rows(FieldVector v) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < v.getValueCount(); i++) {
      Object o = v.getObject(i);
      out.add(o == null ? null : o.toString());
    }
    return out;
  }

  @Test
  void runsOfEmbeddingsAndNullsAreCopiedWithTheirValidity() {
    try (BufferAllocator a = new RootAllocator();
        FixedSizeListVector x = vectors(a, 50, 1);
        FixedSizeListVector y = vectors(a, 50, -1);
        SlotRuns runs = new SlotRuns(VEC, 50, a)) {
      List<Object> want = new ArrayList<>();
      for (int slot = 0; slot < 50; slot++) {
        int pick = (slot / 3) % 3; // runs of 3 from x, then y, then nulls, at shifting offsets
        FieldVector from = pick == 0 ? x : pick == 1 ? y : null;
        runs.add(from, slot);
        want.add(
            from == null || from.getObject(slot) == null ? null : from.getObject(slot).toString());
      }
      assertEquals(want, rows(runs.finish()));
    }
  }

  @Test
  void runsOfAFixedWidthColumnKeepItsNulls() {
    try (BufferAllocator a = new RootAllocator();
        BigIntVector x = new BigIntVector(AREA, a);
        SlotRuns runs = new SlotRuns(AREA, 20, a)) {
      x.allocateNew(20);
      for (int i = 0; i < 20; i++) {
        if (i % 4 == 1) {
          x.setNull(i);
        } else {
          x.set(i, 100L + i);
        }
      }
      x.setValueCount(20);
      Object[] want = new Object[20];
      for (int slot = 0; slot < 20; slot++) {
        boolean take = slot % 6 < 4;
        runs.add(take ? x : null, slot);
        want[slot] = take && !x.isNull(slot) ? String.valueOf(100L + slot) : null;
      }
      assertEquals(Arrays.asList(want), rows(runs.finish()));
    }
  }
}
