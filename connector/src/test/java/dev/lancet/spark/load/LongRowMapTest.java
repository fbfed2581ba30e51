package dev.lancet.spark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Integer keys to rows, as a load's workers hold them: every key found, others not, growing. */
class LongRowMapTest {
  @Test
  void everyKeyPutIsFoundAndOthersAreNotAcrossGrowth() {
    LongRowMap map = new LongRowMap(4); // grows many times
    Map<Long, Integer> expected = new HashMap<>();
    Random random = new Random(7);
    for (int row = 0; row < 200_000; row++) {
      long key = row % 3 == 0 ? row : random.nextLong(); // sequential and scattered keys
      map.put(key, row);
      expected.put(key, row);
    }
    map.put(Long.MIN_VALUE, 1);
    map.put(0L, 5); // a repeated key: the later row
    expected.put(Long.MIN_VALUE, 1);
    expected.put(0L, 5);
    assertEquals(expected.size(), map.size());
    expected.forEach((k, v) -> assertEquals(v, map.get(k), "key " + k));
    assertEquals(-1, map.get(-42L));
    assertEquals(-1, map.get(200_001L));
  }
}
