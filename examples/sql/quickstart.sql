-- Lancet quickstart: a feature defined by a Java UDF, registered as a virtual column of a
-- Lance table and backfilled as Ray tasks. Run it with: bin/lancet-sql -f examples/sql/quickstart.sql

-- Start from a fresh table, so the quickstart can run again on the same warehouse.
DROP TABLE IF EXISTS videos;

CREATE TABLE videos (filename STRING, duration_sec FLOAT, x INT, y INT, caption STRING);

INSERT INTO videos VALUES
  ('cat.mp4',       12.5, 1920, 1080, 'a cat on a sofa'),
  ('dog.mp4',        8.0, 1280,  720, 'a dog in the park'),
  ('bird.mp4',       3.2,  640,  480, 'a bird on a wire'),
  ('ocean.mp4',     60.0, 3840, 2160, 'waves at sunset'),
  ('city.mp4',      45.5, 2560, 1440, 'traffic at night'),
  ('forest.mp4',    30.0, 1920, 1080, 'trees in the wind'),
  ('kitchen.mp4',   15.0, 1280,  720, 'someone cooking pasta'),
  ('concert.mp4',  120.0, 1920, 1080, 'a crowd and a stage'),
  ('snow.mp4',      22.0,  854,  480, 'snow falling'),
  ('desk.mp4',       5.5,  426,  240, 'a tidy desk');

-- The UDF's inputs (x, y) come from its parameter names, its type (bigint) from its return type.
ALTER TABLE videos ADD COLUMN area USING UDF 'dev.lancet.examples.Area';

-- Compute the column for every row, fragment by fragment, as Ray tasks.
BACKFILL videos (area);

SELECT filename, x, y, area FROM videos ORDER BY filename;
