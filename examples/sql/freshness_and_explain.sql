-- Which rows of a virtual column are stale and why, and what the next BACKFILL would do before it
-- does it: SHOW VIRTUAL COLUMNS (or SELECT from t.virtual_columns) counts rows by state, EXPLAIN
-- BACKFILL reads the plan the run would make, computing and changing nothing, and a pilot run
-- (BACKFILL ... LIMIT n) tries the UDF on n rows first, which the full run does not compute again.
-- Run it with: bin/lancet-sql -f examples/sql/freshness_and_explain.sql

DROP TABLE IF EXISTS clips;
CREATE TABLE clips (id INT, x INT, y INT);
INSERT INTO clips SELECT id, id, 2 FROM range(0, 1000) AS t(id);
ALTER TABLE clips ADD COLUMN area USING UDF 'dev.lancet.examples.Area';

-- A first run over some rows, then a user's changes: an input updated, new rows.
BACKFILL clips (area) WHERE id < 600;
UPDATE clips SET x = x + 1 WHERE id < 10;
INSERT INTO clips SELECT id, id, 2 FROM range(1000, 1100) AS t(id);

SELECT column, rows_current, rows_input_changed, rows_version_changed, rows_failed,
       rows_never_computed
FROM clips.virtual_columns;

EXPLAIN BACKFILL clips (area);

-- A pilot of 50 rows; its job record's rate and memory then show in EXPLAIN's estimate.
BACKFILL clips (area) LIMIT 50;
SELECT job_id, row_limit, rows_computed, rows_per_second, peak_task_memory_bytes
FROM clips.backfill_jobs WHERE row_limit IS NOT NULL;
EXPLAIN BACKFILL clips (area);

BACKFILL clips (area);

SELECT column, rows_current, rows_input_changed, rows_never_computed FROM clips.virtual_columns;
