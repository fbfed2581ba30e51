-- Sibling columns: one UDF returns a record, and each of its fields is a column of its own.
-- One call per row computes them all; a backfill of any of them computes the group in one pass
-- and writes one file per fragment for it. Run it with:
--   bin/lancet-sql -f examples/sql/sibling_columns.sql

DROP TABLE IF EXISTS frames;
CREATE TABLE frames (id INT, width INT, height INT);
INSERT INTO frames VALUES (1, 1920, 1080), (2, 640, 480), (3, 3840, 2160);

ALTER TABLE frames ADD COLUMNS (pixels, aspect, quality)
  USING UDF 'dev.lancet.examples.FrameFormat' INPUTS (width, height);

SHOW VIRTUAL COLUMNS IN frames;
BACKFILL frames (quality);
SELECT id, pixels, round(aspect, 2) AS aspect, quality FROM frames ORDER BY id;

-- An update recomputes the group for its row only; the same statement again computes nothing.
UPDATE frames SET height = 2160, width = 3840 WHERE id = 2;
BACKFILL frames (pixels);
BACKFILL frames (pixels, aspect, quality);
SELECT id, pixels, round(aspect, 2) AS aspect, quality FROM frames ORDER BY id;

-- The siblings go together: DROP COLUMN aspect alone is refused.
ALTER TABLE frames DROP COLUMNS (pixels, aspect, quality);
