package dev.lancet.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.backfill.store.JobRecords;
import dev.lancet.testing.LanceTestReads;
import dev.lancet.testing.LanceTestTables;
import dev.lancet.testing.udfs.RichTypes;
import dev.lancet.udf.UdfInspector;
import dev.lancet.udf.UdfRegistration;
import dev.lancet.udf.UdfSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;

/**
 * Every richer output type backfilled through Lance, aligned by row address around deleted rows.
 */
class RichTypesBackfillTest {
  @TempDir Path dir;

  @Test
  void structsListsMapsDecimalsDatesTimestampsAndFixedArraysAreWrittenAlignedAndReadBack() {
    String uri = LanceTestTables.create(dir, "t", 2, 5);
    try (RootAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(uri, a)) {
      ds.delete("id = 1 OR id = 7"); // holes inside both fragments
    }
    Map<String, UdfSpec> columns = new LinkedHashMap<>();
    columns.put(
        "profile",
        UdfInspector.inspect(RichTypes.MakeProfile.class, Map.of(), List.of("name", "x")));
    columns.put("words", UdfInspector.inspect(RichTypes.Words.class, Map.of()));
    columns.put("price", UdfInspector.inspect(RichTypes.Price.class, Map.of()));
    columns.put("day", UdfInspector.inspect(RichTypes.Day.class, Map.of(), List.of("id")));
    columns.put("stamp", UdfInspector.inspect(RichTypes.Stamp.class, Map.of(), List.of("id")));
    columns.put("vec", UdfInspector.inspect(RichTypes.Vec.class, Map.of()));
    VirtualColumns.add(uri, Map.of(), columns);
    for (String column : columns.keySet()) {
      assertEquals(8, Backfill.of(uri, column).batchSize(2).run().rowsComputed(), column);
    }
    List<Map<String, Object>> rows =
        LanceTestReads.rows(
            uri,
            List.of("id", "name", "x", "y", "profile", "words", "price", "day", "stamp", "vec"));
    assertEquals(8, rows.size());
    for (Map<String, Object> row : rows) {
      int id = (Integer) row.get("id");
      String name = "file-" + id;
      int x = LanceTestTables.x(id);
      assertEquals(
          "{\"name\":\"" + name + "\",\"size\":" + x + "}",
          row.get("profile").toString(),
          "profile of " + id);
      assertEquals("[\"file\",\"" + id + "\"]", row.get("words").toString(), "words of " + id);
      assertEquals(BigDecimal.valueOf(id * 125L, 2), row.get("price"), "price of " + id);
      assertEquals(
          (int) LocalDate.of(2026, 1, 1).plusDays(id).toEpochDay(),
          row.get("day") instanceof LocalDate d
              ? (int) d.toEpochDay()
              : ((Number) row.get("day")).intValue(),
          "day of " + id);
      assertEquals(
          List.of((float) x, (float) LanceTestTables.y(id), (float) x * LanceTestTables.y(id)),
          row.get("vec"),
          "vec of " + id);
      assertTrue(row.get("stamp") != null, "stamp of " + id);
    }
  }

  @Test
  void mapOutputsAreRefusedWithTheReasonAndTheWayAround() {
    String uri = LanceTestTables.create(dir, "t", 1, 2);
    long version = LanceTestReads.version(uri);
    BackfillException e =
        assertThrows(
            BackfillException.class,
            () ->
                VirtualColumns.add(
                    uri,
                    Map.of(),
                    "counts",
                    UdfInspector.inspect(RichTypes.Counts.class, Map.of(), List.of("name", "x"))));
    assertTrue(
        e.getMessage()
            .startsWith(
                "column 'counts': a map<string,int> column cannot be added as a virtual column"),
        e.getMessage());
    assertTrue(e.getMessage().contains("return a List of records"), e.getMessage());
    assertEquals(version, LanceTestReads.version(uri));
  }

  @Test
  void onErrorNullWritesNullsCountsThemAndKeepsThemInTheJobRecord() {
    String uri = LanceTestTables.create(dir, "t", 2, 10);
    VirtualColumns.add(
        uri,
        Map.of(),
        "picky",
        UdfInspector.inspect(RichTypes.Picky.class, Map.of(), List.of("id")));

    BackfillResult result = Backfill.of(uri, "picky").run();

    assertEquals(20, result.rowsComputed());
    assertEquals(4, result.rowsFailed(), "ids 0, 5, 10, 15");
    for (Map<String, Object> row : LanceTestReads.rows(uri, List.of("id", "picky"))) {
      int id = (Integer) row.get("id");
      if (id % 5 == 0) {
        assertNull(row.get("picky"), "failed row " + id + " is null");
      } else {
        assertEquals(id, row.get("picky"));
      }
    }
    BackfillJob record = JobRecords.list(uri).get(0);
    assertEquals(result.jobId(), record.jobId());
    assertEquals(dev.lancet.backfill.JobStatus.SUCCEEDED, record.status());
    assertEquals(4, record.rowsFailed());
    assertEquals(4, record.rowErrors().size());
    assertTrue(
        record.rowErrors().stream()
            .anyMatch(
                e ->
                    e.inputs().equals("id=5")
                        && e.rowAddress() == 5
                        && e.message().contains("no multiples of five: 5")),
        record.rowErrors().toString());
  }

  @Test
  void tooManyFailedRowsFailTheBackfillAndCommitNothing() {
    String uri = LanceTestTables.create(dir, "t", 1, 10);
    UdfSpec strict =
        UdfInspector.inspect(
            RichTypes.Picky.class,
            UdfRegistration.of(List.of("id"), null, Map.of("max_error_fraction", "0.1")));
    VirtualColumns.add(uri, Map.of(), "picky", strict);
    long version = LanceTestReads.version(uri);

    BackfillException e =
        assertThrows(BackfillException.class, () -> Backfill.of(uri, "picky").run());

    assertTrue(
        e.getMessage()
            .startsWith(
                "column 'picky': 2 of 10 rows failed, more than max_error_fraction 0.1; first: row"
                    + " address 0 (id=0)"),
        e.getMessage());
    assertEquals(version, LanceTestReads.version(uri));
    assertEquals(dev.lancet.backfill.JobStatus.FAILED, JobRecords.list(uri).get(0).status());
  }

  @Test
  void batchedUdfReturningTheWrongLengthFailsBeforeAnyFileIsCommitted() {
    String uri = LanceTestTables.create(dir, "t", 1, 4);
    VirtualColumns.add(
        uri, Map.of(), "bad", UdfInspector.inspect(RichTypes.ShortBatch.class, Map.of()));
    long version = LanceTestReads.version(uri);
    BackfillException e =
        assertThrows(BackfillException.class, () -> Backfill.of(uri, "bad").run());
    assertTrue(e.getMessage().contains("returned 1 values for a batch of 4 rows"), e.getMessage());
    assertEquals(version, LanceTestReads.version(uri));
  }
}
