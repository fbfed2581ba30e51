package dev.lancet.backfill.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.lancet.backfill.plan.FragmentWork;
import dev.lancet.backfill.plan.JobContext;
import dev.lancet.backfill.plan.WorkUnit;
import dev.lancet.lance.TableLocation;
import dev.lancet.udf.UdfClassPolicy;
import dev.lancet.udf.UdfKind;
import dev.lancet.udf.UdfSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker gives Lancet's built-in UDFs the table's storage options (the loaded columns' UDF reads
 * a copy staged in the table's bucket), and a user's UDF never.
 */
class TableStorageOptionsTest {
  private static final Map<String, String> STORAGE =
      Map.of("access_key_id", "k", "secret_access_key", "s", "endpoint", "http://127.0.0.1:1");

  private static WorkUnit unitOn(Map<String, String> storage) {
    JobContext job =
        JobContext.builder()
            .table(new TableLocation("s3://b/t.lance", storage))
            .version(1)
            .column("c")
            .specJson("{}")
            .batchSize(8192)
            .allowedPackages("")
            .jobId("job")
            .build();
    return new WorkUnit(job, new FragmentWork(0, 10, 10, "k0", null, null, null, 0), null, false);
  }

  private static UdfSpec spec(String className) {
    return new UdfSpec.Builder()
        .className(className)
        .kind(UdfKind.RECORD_BATCH)
        .inputs(List.of("id"))
        .outputType("struct<label:string>")
        .options(Map.of("key", "id"))
        .build();
  }

  @Test
  void aBuiltInUdfGetsTheTablesStorageOptionsUnderTheirPrefix() {
    UdfSpec given =
        UdfWorker.withTableStorage(spec("dev.lancet.spark.load.KeyLookupUdf"), unitOn(STORAGE));
    assertEquals("id", given.options().get("key"));
    assertEquals(
        "s", given.options().get(UdfClassPolicy.TABLE_STORAGE_OPTION + "secret_access_key"));
    assertEquals(4, given.options().size());
  }

  @Test
  void aUsersUdfNeverGetsThem() {
    UdfSpec users = spec("com.acme.Score");
    assertSame(users, UdfWorker.withTableStorage(users, unitOn(STORAGE)));
  }

  @Test
  void aTableWithoutStorageOptionsChangesNothing() {
    UdfSpec builtIn = spec("dev.lancet.spark.load.KeyLookupUdf");
    assertSame(builtIn, UdfWorker.withTableStorage(builtIn, unitOn(Map.of())));
  }
}
