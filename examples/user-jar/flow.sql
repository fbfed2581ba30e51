-- The reference flow on your own UDF jar: add a column, backfill a few rows, append rows with the
-- table's original columns, run the same backfill (only the new rows are computed, then nothing),
-- and refill what is still null. Run it with your jar:
--   bin/lancet-sql --jars acme-features.jar -f examples/user-jar/flow.sql
-- (see README: "Your own UDF jar" for the javac line).

DROP TABLE IF EXISTS clips;

CREATE TABLE clips (filename STRING, duration_sec FLOAT, x INT, y INT, caption STRING);

INSERT INTO clips VALUES
  ('a.mp4',  1.5,  640, 480, 'a cat'),
  ('ab.mp4', 2.0, 1280, 720, 'a dog'),
  ('b.mp4',  3.0, 1920, 1080, 'a bird');

ALTER TABLE clips ADD COLUMN pixels USING UDF 'com.acme.features.FramePixels';

-- Try the feature on some rows first: 2 rows computed.
BACKFILL clips (pixels) WHERE filename LIKE 'a%';

-- New rows, with the table's own columns only: their pixels are null until backfilled.
INSERT INTO clips VALUES ('ac.mp4', 4.0, 320, 240, 'a fish'), ('c.mp4', 5.0, 800, 600, 'a car');

-- The same backfill computes the new matching row only (1), then nothing (0, no new version).
BACKFILL clips (pixels) WHERE filename LIKE 'a%';
BACKFILL clips (pixels) WHERE filename LIKE 'a%';

-- Refill the rest: 2 rows.
BACKFILL clips (pixels) WHERE pixels IS NULL;

-- A batched UDF of the same jar (Arrow vectors in, one call per batch): the words of each caption.
ALTER TABLE clips ADD COLUMN words USING UDF 'com.acme.features.CaptionWords';
BACKFILL clips (words);
SELECT sum(words) AS total_words FROM clips;

SELECT filename, pixels FROM clips ORDER BY filename;

-- A UDF whose jar bundles an older Guava (18) than the engine's (33): it runs with its own.
ALTER TABLE clips ADD COLUMN label USING UDF 'com.acme.features.ClipLabel';
BACKFILL clips (label);
SELECT label FROM clips ORDER BY label;
