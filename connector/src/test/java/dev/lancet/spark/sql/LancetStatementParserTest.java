package dev.lancet.spark.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lancet.spark.ops.VirtualColumnDef;
import dev.lancet.spark.sql.parser.LancetParseException;
import dev.lancet.spark.sql.parser.LancetStatementParser;
import dev.lancet.spark.sql.plans.AddVirtualColumns;
import dev.lancet.spark.sql.plans.BackfillColumns;
import dev.lancet.spark.sql.plans.CreateTableFunction;
import dev.lancet.spark.sql.plans.LoadColumns;
import dev.lancet.spark.sql.plans.MaterializedViewCommand;
import dev.lancet.spark.views.ViewOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The statement grammar alone: no Spark session. */
class LancetStatementParserTest {

  @Test
  void addColumnTakesTypeFromUdfWhenOmitted() throws Exception {
    AddVirtualColumns plan =
        (AddVirtualColumns)
            LancetStatementParser.parse(
                "ALTER TABLE videos ADD COLUMN area USING UDF 'dev.lancet.examples.Area'");
    assertEquals(List.of("videos"), plan.table());
    assertEquals(
        List.of(
            new VirtualColumnDef("area", null, "dev.lancet.examples.Area", List.of(), Map.of())),
        plan.columns());
    assertFalse(plan.backfill());
  }

  @Test
  void addColumnsParsesTypesInputsOptionsSeveralColumnsAndBackfill() throws Exception {
    AddVirtualColumns plan =
        (AddVirtualColumns)
            LancetStatementParser.parse(
                "alter table lancet.db.`my videos` add columns a BIGINT using udf 'A' inputs (w, `h"
                    + " h`) options ('model' = 'small', n = 3), b using udf 'B' backfill;");
    assertEquals(List.of("lancet", "db", "my videos"), plan.table());
    assertEquals(
        new VirtualColumnDef(
            "a", "bigint", "A", List.of("w", "h h"), Map.of("model", "small", "n", "3")),
        plan.columns().get(0));
    assertEquals(new VirtualColumnDef("b", null, "B", List.of(), Map.of()), plan.columns().get(1));
    assertTrue(plan.backfill());
    assertEquals(null, plan.filter());
  }

  @Test
  void parenthesizedNamesBeforeUsingUdfAreSiblingColumnsOfOneUdf() throws Exception {
    String sql =
        "ALTER TABLE t ADD COLUMNS (w, h, `f m t`) USING UDF 'com.acme.ImageMeta' INPUTS (path),"
            + " area USING UDF 'A'";
    assertTrue(LancetStatementParser.isLancetStatement(sql));
    AddVirtualColumns plan = (AddVirtualColumns) LancetStatementParser.parse(sql);
    VirtualColumnDef group = plan.columns().get(0);
    assertEquals(List.of("w", "h", "f m t"), group.siblings());
    assertEquals("w", group.name());
    assertEquals("com.acme.ImageMeta", group.udfClass());
    assertEquals(List.of("path"), group.inputs());
    assertEquals(
        List.of("w", "h", "f m t", "area"),
        plan.columns().stream().flatMap(c -> c.columns().stream()).toList());
    // Spark's own ADD COLUMNS (name type, ...) stays Spark's.
    assertFalse(
        LancetStatementParser.isLancetStatement("ALTER TABLE t ADD COLUMNS (a INT, b STRING)"));
    LancetParseException missing =
        assertThrows(
            LancetParseException.class,
            () -> LancetStatementParser.parse("ALTER TABLE t ADD COLUMNS (w, h) AS (x)"));
    assertTrue(
        missing.getMessage().contains("expected USING UDF after sibling columns"),
        missing.getMessage());
  }

  @Test
  void createTemporaryTableFunctionNamesAUdfWithItsOptions() throws Exception {
    String sql =
        "CREATE OR REPLACE TEMP TABLE FUNCTION chunks USING UDF 'com.acme.Chunker'"
            + " OPTIONS (max_chars = '400')";
    assertTrue(LancetStatementParser.isLancetStatement(sql));
    CreateTableFunction plan = (CreateTableFunction) LancetStatementParser.parse(sql);
    assertEquals("chunks", plan.name());
    assertEquals("com.acme.Chunker", plan.udfClass());
    assertEquals(Map.of("max_chars", "400"), plan.options());
    assertTrue(plan.replace());
    // Spark's own CREATE [TEMPORARY] FUNCTION and CREATE TABLE stay Spark's.
    assertFalse(
        LancetStatementParser.isLancetStatement(
            "CREATE TEMPORARY FUNCTION f AS 'com.acme.HiveUdf'"));
    assertFalse(LancetStatementParser.isLancetStatement("CREATE TABLE t (a INT)"));
    LancetParseException permanent =
        assertThrows(
            LancetParseException.class,
            () ->
                LancetStatementParser.parse(
                    "CREATE TABLE FUNCTION chunks USING UDF 'com.acme.Chunker'"));
    assertTrue(permanent.getMessage().contains("CREATE TEMPORARY TABLE FUNCTION"));
  }

  @Test
  void loadColumnsTakesATableOrAQuotedPathAndOneKey() throws Exception {
    String sql = "ALTER TABLE db.items LOAD COLUMNS (emb, label) FROM other.feats KEY (id)";
    assertTrue(LancetStatementParser.isLancetStatement(sql));
    LoadColumns plan = (LoadColumns) LancetStatementParser.parse(sql);
    assertEquals(List.of("db", "items"), plan.table());
    assertEquals(List.of("emb", "label"), plan.columns());
    assertEquals(List.of("other", "feats"), plan.sourceTable());
    assertEquals("id", plan.key());
    LoadColumns path =
        (LoadColumns)
            LancetStatementParser.parse(
                "ALTER TABLE items LOAD COLUMNS (score) FROM '/data/s.parquet' KEY (id)");
    assertEquals("/data/s.parquet", path.sourcePath());
    LancetParseException twoKeys =
        assertThrows(
            LancetParseException.class,
            () ->
                LancetStatementParser.parse(
                    "ALTER TABLE items LOAD COLUMNS (score) FROM s KEY (a, b)"));
    assertTrue(twoKeys.getMessage().contains("one key column"), twoKeys.getMessage());
  }

  @Test
  void whereTakesTheFilterTextAsWrittenUpToOptions() throws Exception {
    BackfillColumns plan =
        (BackfillColumns)
            LancetStatementParser.parse(
                "BACKFILL t (c) WHERE (starts_with(filename, 'a') or starts_with(filename, 'b'))"
                    + " and content is null OPTIONS (batch_size = 8)");
    assertEquals(
        "(starts_with(filename, 'a') or starts_with(filename, 'b')) and content is null",
        plan.filter());
    assertEquals(Map.of("batch_size", "8"), plan.options());
    AddVirtualColumns add =
        (AddVirtualColumns)
            LancetStatementParser.parse(
                "ALTER TABLE t ADD COLUMN e USING UDF 'E' BACKFILL WHERE content is not null;");
    assertEquals("content is not null", add.filter());
    LancetParseException empty =
        assertThrows(
            LancetParseException.class, () -> LancetStatementParser.parse("BACKFILL t (c) WHERE"));
    assertTrue(empty.getMessage().contains("expected a filter after WHERE"), empty.getMessage());
  }

  @Test
  void typesMaySpanSeveralTokens() throws Exception {
    AddVirtualColumns plan =
        (AddVirtualColumns)
            LancetStatementParser.parse(
                "ALTER TABLE t ADD COLUMNS e FLOAT[1536] USING UDF 'E', s struct<a: int, b:"
                    + " array<string>> USING UDF 'S', d decimal(10, 2) USING UDF 'D'");
    assertEquals("float[1536]", plan.columns().get(0).declaredType());
    assertEquals("struct<a:int,b:array<string>>", plan.columns().get(1).declaredType());
    assertEquals("decimal(10,2)", plan.columns().get(2).declaredType());
  }

  @Test
  void backfillParsesColumnsAndOptionsCaseInsensitively() throws Exception {
    BackfillColumns plan =
        (BackfillColumns)
            LancetStatementParser.parse(
                "Backfill TABLE videos (area, `backfill`) OPTIONS (batch_size = 1024,"
                    + " COMMIT_GRANULARITY = 4, checkpoint = false, checkpoint_interval = 0)");
    assertEquals(List.of("videos"), plan.table());
    assertEquals(List.of("area", "backfill"), plan.columns());
    assertEquals(
        Map.of(
            "batch_size",
            "1024",
            "commit_granularity",
            "4",
            "checkpoint",
            "false",
            "checkpoint_interval",
            "0"),
        plan.options());
  }

  @Test
  void extensionKeywordsStayUsableAsIdentifiers() throws Exception {
    BackfillColumns plan =
        (BackfillColumns) LancetStatementParser.parse("BACKFILL backfill (backfill, udf, using)");
    assertEquals(List.of("backfill"), plan.table());
    assertEquals(List.of("backfill", "udf", "using"), plan.columns());
  }

  @Test
  void alterColumnSetUdfAndShowStatementsParse() throws Exception {
    var alter =
        (dev.lancet.spark.sql.plans.AlterVirtualColumn)
            LancetStatementParser.parse(
                "ALTER TABLE t ALTER COLUMN emb SET UDF 'com.acme.Embed' INPUTS (caption) OPTIONS"
                    + " ('model' = 'large')");
    assertEquals(
        new VirtualColumnDef(
            "emb", null, "com.acme.Embed", List.of("caption"), Map.of("model", "large")),
        alter.column());
    var show =
        (dev.lancet.spark.sql.plans.ShowVirtualColumns)
            LancetStatementParser.parse("show virtual columns in db.t");
    assertEquals(List.of("db", "t"), show.table());
    var jobs =
        (dev.lancet.spark.sql.plans.ShowBackfillJobs)
            LancetStatementParser.parse("SHOW BACKFILL JOBS");
    assertEquals(List.of(), jobs.table());
    var jobsIn =
        (dev.lancet.spark.sql.plans.ShowBackfillJobs)
            LancetStatementParser.parse("SHOW BACKFILL JOBS IN t");
    assertEquals(List.of("t"), jobsIn.table());
    assertFalse(LancetStatementParser.isLancetStatement("SHOW TABLES"));
    assertFalse(
        LancetStatementParser.isLancetStatement("ALTER TABLE t ALTER COLUMN c TYPE bigint"));
  }

  @Test
  void onlyLancetStatementsAreClaimed() throws Exception {
    assertTrue(LancetStatementParser.isLancetStatement("backfill t (c)"));
    assertTrue(LancetStatementParser.isLancetStatement("ALTER TABLE t ADD COLUMN c USING UDF 'X'"));
    assertFalse(LancetStatementParser.isLancetStatement("ALTER TABLE t ADD COLUMNS (c INT)"));
    assertFalse(LancetStatementParser.isLancetStatement("SELECT backfill FROM t"));
    assertFalse(LancetStatementParser.isLancetStatement("SELECT 'unterminated"));
  }

  @Test
  void anExpressionWithoutItsParenthesesIsOurOneLineErrorNotSparks() throws Exception {
    String sql = "ALTER TABLE orders ADD COLUMN twice AS price * 2";
    assertTrue(LancetStatementParser.isLancetStatement(sql));
    LancetParseException e =
        assertThrows(LancetParseException.class, () -> LancetStatementParser.parse(sql));
    assertEquals(
        "[LANCET_PARSE_ERROR] Syntax error at line 1, position 39: expected '(' and a SQL"
            + " expression after AS, e.g. AS (x * y), found 'price'",
        e.getMessage().split("\n")[0]);
    assertTrue(
        LancetStatementParser.isLancetStatement("ALTER TABLE t ALTER COLUMN c SET AS x + 1"));
  }

  @Test
  void syntaxErrorNamesTheProblemAndPointsAtIt() throws Exception {
    String sql = "ALTER TABLE videos ADD COLUMN area USNG UDF 'X'";
    LancetParseException e =
        assertThrows(LancetParseException.class, () -> LancetStatementParser.parse(sql));
    String[] lines = e.getMessage().split("\n");
    assertEquals(
        "[LANCET_PARSE_ERROR] Syntax error at line 1, position 35: expected USING, found 'USNG'",
        lines[0]);
    assertEquals(sql.indexOf("USNG"), e.offset());
    // Spark's own ParseException, with the Lancet error class and the position Spark reads.
    assertTrue(e instanceof org.apache.spark.sql.catalyst.parser.ParseException);
    assertEquals("LANCET_PARSE_ERROR", e.getErrorClass());
    assertEquals("42601", e.getSqlState());
    assertEquals(1, e.line().get());
    assertEquals(35, e.startPosition().get());
    assertEquals("== SQL ==", lines[1]);
    assertEquals(sql, lines[2]);
    assertEquals("-".repeat(sql.indexOf("USNG")) + "^^^", lines[3]);
  }

  @Test
  void unknownTypeUnquotedClassAndMissingColumnsAreSyntaxErrors() throws Exception {
    LancetParseException type =
        assertThrows(
            LancetParseException.class,
            () -> LancetStatementParser.parse("ALTER TABLE t ADD COLUMN a strng USING UDF 'X'"));
    assertTrue(
        type.getMessage()
            .startsWith(
                "[LANCET_PARSE_ERROR] Syntax error at line 1, position 27: type 'strng' at position"
                    + " 0: unsupported type 'strng'"),
        type.getMessage());
    LancetParseException unquoted =
        assertThrows(
            LancetParseException.class,
            () -> LancetStatementParser.parse("ALTER TABLE t ADD COLUMN a USING UDF com.acme.X"));
    assertTrue(
        unquoted.getMessage().contains("expected the UDF class name as a quoted string"),
        unquoted.getMessage());
    LancetParseException noColumns =
        assertThrows(LancetParseException.class, () -> LancetStatementParser.parse("BACKFILL t"));
    assertTrue(
        noColumns.getMessage().contains("expected '(' and the columns to backfill"),
        noColumns.getMessage());
    LancetParseException trailing =
        assertThrows(
            LancetParseException.class,
            () ->
                LancetStatementParser.parse("BACKFILL t (a) OPTIONS (batch_size = 1) WHERE x > 1"));
    assertTrue(
        trailing.getMessage().contains("unexpected 'WHERE' after the end of the statement"),
        trailing.getMessage());
  }

  @Test
  void badBackfillOptionsPointAtTheOption() throws Exception {
    String sql = "BACKFILL t (a) OPTIONS (batch_size = 0, x = 1)";
    LancetParseException zero =
        assertThrows(LancetParseException.class, () -> LancetStatementParser.parse(sql));
    assertTrue(
        zero.getMessage().contains("option 'batch_size' must be a positive integer, got '0'"),
        zero.getMessage());
    assertEquals(sql.indexOf("0"), zero.offset());
    LancetParseException unknown =
        assertThrows(
            LancetParseException.class,
            () -> LancetStatementParser.parse("BACKFILL t (a) OPTIONS (concurency = 2)"));
    assertTrue(
        unknown
            .getMessage()
            .contains(
                "unknown BACKFILL option 'concurency' (did you mean 'concurrency'?); known options:"
                    + " [batch_size, checkpoint, checkpoint_interval, commit_granularity,"
                    + " commit_interval, concurrency, engine, max_error_fraction, on_error,"
                    + " task_size]"),
        unknown.getMessage());
    LancetParseException maybe =
        assertThrows(
            LancetParseException.class,
            () -> LancetStatementParser.parse("BACKFILL t (a) OPTIONS (checkpoint = maybe)"));
    assertTrue(
        maybe
            .getMessage()
            .contains("BACKFILL option 'checkpoint' must be true or false, got 'maybe'"),
        maybe.getMessage());
    LancetParseException policy =
        assertThrows(
            LancetParseException.class,
            () -> LancetStatementParser.parse("BACKFILL t (a) OPTIONS (on_error = 'skip')"));
    assertTrue(
        policy
            .getMessage()
            .contains("BACKFILL option 'on_error' must be 'fail', 'null' or 'retry', got 'skip'"),
        policy.getMessage());
    LancetParseException fraction =
        assertThrows(
            LancetParseException.class,
            () -> LancetStatementParser.parse("BACKFILL t (a) OPTIONS (max_error_fraction = 2)"));
    assertTrue(
        fraction.getMessage().contains("must be a number between 0 and 1, got '2'"),
        fraction.getMessage());
  }

  @Test
  void errorPoliciesAreBackfillOptions() throws Exception {
    BackfillColumns b =
        (BackfillColumns)
            LancetStatementParser.parse(
                "BACKFILL t (a) OPTIONS (on_error = 'null', max_error_fraction = 0.25)");
    assertEquals(Map.of("on_error", "null", "max_error_fraction", "0.25"), b.options());
  }

  @Test
  void optimizeTakesATableAndATargetRowsPerFragment() throws Exception {
    assertEquals(
        new dev.lancet.spark.sql.plans.OptimizeTable(List.of("db", "t"), null),
        LancetStatementParser.parse("OPTIMIZE db.t"));
    assertEquals(
        new dev.lancet.spark.sql.plans.OptimizeTable(List.of("t"), 5000L),
        LancetStatementParser.parse("optimize table t OPTIONS (target_rows_per_fragment = 5000)"));
    LancetParseException negative =
        assertThrows(
            LancetParseException.class,
            () ->
                LancetStatementParser.parse("OPTIMIZE t OPTIONS (target_rows_per_fragment = -5)"));
    assertTrue(
        negative
            .getMessage()
            .contains("'target_rows_per_fragment' must be a positive integer, got '-5'"),
        negative.getMessage());
  }

  @Test
  void materializedViewStatementsKeepTheQueryAsWrittenAndCheckTheirOptions() throws Exception {
    String query =
        "SELECT d.id, c.* FROM docs d, LATERAL lancet_explode('com.acme.Chunker', d.text) c"
            + " WHERE d.id > 1";
    assertTrue(LancetStatementParser.isLancetStatement("CREATE MATERIALIZED VIEW v AS " + query));
    assertFalse(LancetStatementParser.isLancetStatement("CREATE VIEW v AS " + query));
    assertEquals(
        MaterializedViewCommand.create(
            List.of("db", "chunks"), query, false, null, ViewOptions.NONE),
        LancetStatementParser.parse("CREATE MATERIALIZED VIEW db.chunks AS " + query + " ;"));
    assertEquals(
        MaterializedViewCommand.create(List.of("chunks"), "SELECT 1", true, null, ViewOptions.NONE),
        LancetStatementParser.parse("create materialized view if not exists chunks as SELECT 1"));
    assertEquals(
        MaterializedViewCommand.create(
            List.of("scenes"), "SELECT 1", false, "video_id", ViewOptions.NONE),
        LancetStatementParser.parse(
            "CREATE MATERIALIZED VIEW scenes PARTITION BY (video_id) AS SELECT 1"));
    assertEquals(
        MaterializedViewCommand.refresh(List.of("chunks"), ViewOptions.NONE),
        LancetStatementParser.parse("REFRESH MATERIALIZED VIEW chunks"));
    assertEquals(
        MaterializedViewCommand.refresh(List.of("chunks"), new ViewOptions(4, null, null)),
        LancetStatementParser.parse(
            "REFRESH MATERIALIZED VIEW chunks OPTIONS (fragments_per_commit = 4)"));
    assertEquals(
        MaterializedViewCommand.drop(List.of("chunks"), true),
        LancetStatementParser.parse("DROP MATERIALIZED VIEW IF EXISTS chunks"));
    assertEquals(
        MaterializedViewCommand.show(List.of("lancet", "default")),
        LancetStatementParser.parse("SHOW MATERIALIZED VIEWS IN lancet.default"));
    LancetParseException bad =
        assertThrows(
            LancetParseException.class,
            () -> LancetStatementParser.parse("REFRESH MATERIALIZED VIEW v OPTIONS (batch = 2)"));
    assertTrue(bad.getMessage().contains("unknown REFRESH option 'batch'"), bad.getMessage());
    assertEquals(
        MaterializedViewCommand.create(
            List.of("chunks"),
            "SELECT 1",
            false,
            null,
            new ViewOptions(null, ViewOptions.OnError.SKIP, 0.05)),
        LancetStatementParser.parse(
            "CREATE MATERIALIZED VIEW chunks OPTIONS (on_error = 'skip', max_error_fraction ="
                + " 0.05) AS SELECT 1"));
    assertEquals(
        MaterializedViewCommand.refresh(
            List.of("chunks"), new ViewOptions(2, ViewOptions.OnError.FAIL, null)),
        LancetStatementParser.parse(
            "REFRESH MATERIALIZED VIEW chunks OPTIONS (on_error = 'FAIL', fragments_per_commit ="
                + " 2)"));
    LancetParseException badValue =
        assertThrows(
            LancetParseException.class,
            () ->
                LancetStatementParser.parse(
                    "REFRESH MATERIALIZED VIEW v OPTIONS (on_error = 'null')"));
    assertTrue(
        badValue
            .getMessage()
            .contains("REFRESH option 'on_error' must be 'fail' or 'skip', got 'null'"),
        badValue.getMessage());
    LancetParseException noQuery =
        assertThrows(
            LancetParseException.class,
            () -> LancetStatementParser.parse("CREATE MATERIALIZED VIEW v AS"));
    assertTrue(
        noQuery.getMessage().contains("expected the view's query after AS"), noQuery.getMessage());
  }

  @Test
  void aFilterMayNameAColumnCalledOptions() throws Exception {
    BackfillColumns plan =
        (BackfillColumns)
            LancetStatementParser.parse(
                "BACKFILL t (a) WHERE options IS NULL AND x > 1 OPTIONS (batch_size = 5)");
    assertEquals("options IS NULL AND x > 1", plan.filter());
    assertEquals(Map.of("batch_size", "5"), plan.options());
    BackfillColumns bare =
        (BackfillColumns) LancetStatementParser.parse("BACKFILL t (a) WHERE options IS NULL");
    assertEquals("options IS NULL", bare.filter());
  }
}
