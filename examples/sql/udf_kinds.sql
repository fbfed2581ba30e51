-- Every kind of Lancet UDF on one table. Run it with: bin/lancet-sql -f examples/sql/udf_kinds.sql

DROP TABLE IF EXISTS clips;
CREATE TABLE clips (filename STRING, caption STRING, x INT, y INT);
INSERT INTO clips VALUES ('cat.mp4', 'a cat on a sofa', 1920, 1080), ('dog.mp4', 'a dog in the park', 1280, 720);
INSERT INTO clips VALUES ('bird.mp4', 'a bird on a wire', 640, 480), ('a long name.mp4', NULL, 426, 240);

ALTER TABLE clips ADD COLUMNS
  -- scalar: one row at a time; inputs and type from the Java signature
  area USING UDF 'dev.lancet.examples.Area',
  -- batched over Arrow arrays: VarCharVector in, IntVector out
  filename_len USING UDF 'dev.lancet.examples.FilenameLength',
  -- batched over the whole record batch (the subset it names)
  filename_len2 USING UDF 'dev.lancet.examples.FilenameLengthBatch',
  -- stateful: options through the constructor, setup() once per worker, float[16] out
  embedding USING UDF 'dev.lancet.examples.HashEmbedding' INPUTS (caption) OPTIONS ('seed' = '7', 'batch_size' = '2');

BACKFILL clips (area, filename_len, filename_len2, embedding) OPTIONS (concurrency = 2);

SELECT filename, area, filename_len, filename_len2, IF(embedding IS NULL, NULL, size(embedding)) AS dims
FROM clips ORDER BY filename;
