-- A Spark UDF class you already have (org.apache.spark.sql.api.java.UDF1 ... UDF22) is a Lancet UDF
-- as it is: its typed call(...) runs once per row, its generic types give the column's type, and
-- its parameter names (or INPUTS (...)) the input columns.
-- Run it with: bin/lancet-sql -f examples/sql/spark_udfs.sql

DROP TABLE IF EXISTS frames;
CREATE TABLE frames (name STRING, x INT, y INT);
INSERT INTO frames VALUES ('hd', 1920, 1080), ('sd', 640, 480), ('square', 500, 500);

ALTER TABLE frames ADD COLUMN ratio USING UDF 'dev.lancet.examples.AspectRatio';
BACKFILL frames (ratio);

SELECT name, round(ratio, 3) AS ratio FROM frames ORDER BY name;
