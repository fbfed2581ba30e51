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

  @Test
  void aBatchReadsBackAndATruncatedOrAlteredOneReadsAsAbsent() throws Exception {
    String table = dir.resolve("t.lance").toString();
    CheckpointStore store = new CheckpointStore(table, Map.of(), "area");
    Field value = TypeStrings.parse("bigint").toField(CheckpointStore.VALUE, true);
    try (BufferAllocator a = new RootAllocator(); UInt8Vector addr = new UInt8Vector("a", a); BigIntVector v = new BigIntVector("v", a)) {
      addr.allocateNew(3);
      v.allocateNew(3);
      for (int i = 0; i < 3; i++) {
        addr.set(i, 10 + i);
        v.set(i, 100 + i);
      }
      v.setNull(1);
      addr.setValueCount(3);
      v.setValueCount(3);
      store.writeBatch("k1", addr, v, 3, a);
      List<String> seen = new ArrayList<>();
      assertTrue(store.readBatch("k1", value, 3, a, (ra, rv, n) -> {
        for (int i = 0; i < n; i++) {
          seen.add(ra.get(i) + "=" + rv.getObject(i));
        }
      }));
      assertEquals(List.of("10=100", "11=null", "12=102"), seen);
      assertFalse(store.readBatch("k1", value, 4, a, (ra, rv, n) -> {}), "row count differs");
      assertFalse(store.readBatch("missing", value, 3, a, (ra, rv, n) -> {}));
      Path file = Path.of(store.batchUri("k1"));
      byte[] bytes = Files.readAllBytes(file);
      Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
      assertFalse(store.readBatch("k1", value, 3, a, (ra, rv, n) -> {}), "truncated");
    }
  }
}
