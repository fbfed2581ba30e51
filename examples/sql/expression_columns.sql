-- Virtual columns that are Spark SQL expressions of the row: no class to write. Lancet computes
-- them with Spark's own evaluation, so each value is what a query computes; they are incremental
-- like UDF columns, and the expression is part of the column's version.
-- Run it with: bin/lancet-sql -f examples/sql/expression_columns.sql

DROP TABLE IF EXISTS shots;
CREATE TABLE shots (id INT, caption STRING, width INT, height INT);
INSERT INTO shots VALUES
  (1, 'A cat on a sofa', 1920, 1080),
  (2, 'Two dogs', 640, 480),
  (3, NULL, 3840, 2160);

ALTER TABLE shots ADD COLUMNS
  pixels AS (CAST(width AS BIGINT) * height),
  quality AS (CASE WHEN height >= 2160 THEN '4k' WHEN height >= 1080 THEN 'hd' ELSE 'sd' END),
  words AS (size(split(lower(caption), ' ')));

SHOW VIRTUAL COLUMNS IN shots;
BACKFILL shots (pixels, quality, words);
SELECT id, pixels, quality, words FROM shots ORDER BY id;

-- An update recomputes only its row; a new expression recomputes the column.
UPDATE shots SET height = 2160 WHERE id = 1;
BACKFILL shots (quality);
ALTER TABLE shots ALTER COLUMN words SET AS (CASE WHEN caption IS NULL THEN 0 ELSE size(split(caption, ' ')) END);
BACKFILL shots (words);
SELECT id, quality, words FROM shots ORDER BY id;
