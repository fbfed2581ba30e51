package dev.lancet.backfill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.udf.types.TypeStrings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir Path dir;

  private static CheckpointStore.Rows rows(BufferAllocator a, long firstAddress, Long... values) {
    UInt8Vector addr = new UInt8Vector("a", a);
    BigIntVector v = new BigIntVector("v", a);
    addr.allocateNew(values.length);
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      addr.set(i, firstAddress + i);
      if (values[i] == null) {
        v.setNull(i);
      } else {
        v.set(i, values[i]);
      }
    }
    addr.setValueCount(values.length);
    v.setValueCount(values.length);
    return new CheckpointStore.Rows(addr, v, values.length);
  }

  private static List<String> read(CheckpointStore store, Field value, BufferAllocator a, List<Long> firsts) {
    List<String> seen = new ArrayList<>();
    store.readSegments("k1", value, a, (first, ra, rv, n) -> {
      firsts.add(first);
      for (int i = 0; i < n; i++) {
        seen.add(ra.get(i) + "=" + rv.getObject(i));
      }
      return true;
    });
    return seen;
  }

  @Test
  void segmentsReadBackInOrderAndATruncatedOneEndsTheResumedRows() throws Exception {
    String table = dir.resolve("t.lance").toString();
    CheckpointStore store = new CheckpointStore(table, Map.of(), "area");
    Field value = TypeStrings.parse("bigint").toField(CheckpointStore.VALUE, true);
    try (BufferAllocator a = new RootAllocator();
         CheckpointStore.Rows b1 = rows(a, 10, 100L, null);
         CheckpointStore.Rows b2 = rows(a, 12, 102L);
         CheckpointStore.Rows b3 = rows(a, 13, 103L, 104L)) {
      store.writeSegment("k1", 0, 0, List.of(b1, b2), a);
      store.writeSegment("k1", 1, 3, List.of(b3), a);
      List<Long> firsts = new ArrayList<>();
      assertEquals(List.of("10=100", "11=null", "12=102", "13=103", "14=104"), read(store, value, a, firsts));
      assertEquals(List.of(0L, 3L), firsts, "each segment starts where the previous ended");
      assertEquals(new CheckpointStore.Resumed(2, 5), store.readSegments("k1", value, a, (f, ra, rv, n) -> true));
      assertEquals(new CheckpointStore.Resumed(1, 3), store.readSegments("k1", value, a, (f, ra, rv, n) -> f == 0),
          "a refused segment ends the resumed rows");

      Path second = Path.of(store.segmentUri("k1", 1));
      byte[] bytes = Files.readAllBytes(second);
      Files.write(second, java.util.Arrays.copyOf(bytes, bytes.length / 2));
      assertEquals(new CheckpointStore.Resumed(1, 3), store.readSegments("k1", value, a, (f, ra, rv, n) -> true), "truncated");

      store.writeSegment("k1", 1, 4, List.of(b3), a); // does not continue segment 0 (3 rows)
      assertEquals(new CheckpointStore.Resumed(1, 3), store.readSegments("k1", value, a, (f, ra, rv, n) -> true),
          "a stale segment that does not continue the others");
      assertEquals(new CheckpointStore.Resumed(0, 0), store.readSegments("missing", value, a, (f, ra, rv, n) -> true));

      store.deleteSegments("k1", 2);
      assertEquals(new CheckpointStore.Resumed(0, 0), store.readSegments("k1", value, a, (f, ra, rv, n) -> true));
    }
  }
}
