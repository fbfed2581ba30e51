package dev.lancet.backfill.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.lance.TableLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColumnStateTest {
  @TempDir Path dir;

  private static ColumnState.Entry entry(
      String column, int fragment, String file, byte[] slots, long at) {
    return new ColumnState.Entry(
        column, fragment, file, "v1", "10|a.lance", 10, slots, "key-" + file, "{}", "job", at);
  }

  @Test
  void entriesAreReadBackPerColumnLatestPerFile() {
    ColumnState state =
        new ColumnState(new TableLocation(dir.resolve("t.lance").toString(), Map.of()));
    try (BufferAllocator a = new RootAllocator()) {
      assertTrue(state.read("area", a).byFile().isEmpty(), "no table yet");
      state.record(List.of(entry("area", 0, "f0", null, 1), entry("o'ther", 0, "g0", null, 1)), a);
      state.record(
          List.of(
              entry("area", 0, "f0", new byte[] {5}, 2), entry("area", 1, "f1", new byte[0], 2)),
          a);

      ColumnState.Snapshot s = state.read("area", a);
      assertEquals(Set.of("f0", "f1"), s.byFile().keySet());
      assertArrayEquals(
          new byte[] {5}, s.byFile().get("f0").currentSlots(), "the latest entry of a file wins");
      assertArrayEquals(
          new byte[0], s.byFile().get("f1").currentSlots(), "an empty set stays empty, not 'all'");
      assertEquals("f1", s.byWorkKey().get("key-f1").file());
      assertEquals(
          Set.of("g0"), state.read("o'ther", a).byFile().keySet(), "quotes in column names");
    }
  }

  @Test
  void compactionKeepsLiveFilesAndRecentEntriesOnly() {
    ColumnState state =
        new ColumnState(new TableLocation(dir.resolve("t.lance").toString(), Map.of()));
    try (BufferAllocator a = new RootAllocator()) {
      long old = System.currentTimeMillis() - 30L * 24 * 3600 * 1000;
      for (int i = 0; i <= ColumnState.COMPACT_AFTER_FRAGMENTS; i++) {
        List<ColumnState.Entry> batch = new ArrayList<>();
        batch.add(entry("area", i, "old-" + i, null, old));
        batch.add(entry("area", i, "live-" + i, null, old));
        state.record(batch, a);
      }
      state.record(List.of(entry("area", 99, "recent", null, System.currentTimeMillis())), a);
      Set<String> live = Set.of("live-0", "live-7");

      state.compactIfLarge(live, a);

      assertEquals(Set.of("live-0", "live-7", "recent"), state.read("area", a).byFile().keySet());
      assertNull(state.read("area", a).byFile().get("old-3"));
    }
  }
}
