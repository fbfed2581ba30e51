-- 1:N UDFs in plain Spark SQL: a document becomes chunks, one row each, with lancet_explode (a
-- table function, LATERAL over the documents). One call per document; a null text gives no rows.
-- Run it with: bin/lancet-sql -f examples/sql/chunking.sql

DROP TABLE IF EXISTS docs;
DROP TABLE IF EXISTS chunks;
CREATE TABLE docs (id INT, text STRING);
INSERT INTO docs VALUES
  (1, 'Lance stores columns. Lancet computes features. Backfills are incremental.'),
  (2, 'One sentence only.'),
  (3, NULL);

SELECT d.id, c.chunk, c.text
FROM docs d, LATERAL lancet_explode('dev.lancet.examples.SentenceChunker', d.text) c;

-- A short name with options: chunks of at most 55 characters, one sentence of overlap.
CREATE TEMPORARY TABLE FUNCTION chunks USING UDF 'dev.lancet.examples.SentenceChunker'
  OPTIONS (max_chars = '55', overlap = '1');
SELECT d.id, c.chunk, c.start, c.text FROM docs d, LATERAL chunks(d.text) c;

-- The chunks as a Lance table of their own, with an embedding per chunk as a virtual column.
-- (Kept current by hand here: a refreshable view of them is not built yet.)
CREATE TABLE chunks AS
SELECT d.id AS doc_id, c.chunk, c.text
FROM docs d, LATERAL chunks(d.text) c;
ALTER TABLE chunks ADD COLUMN emb USING UDF 'dev.lancet.examples.HashEmbedding' INPUTS (text);
BACKFILL chunks (emb);
SELECT doc_id, chunk, size(emb) AS dims FROM chunks ORDER BY doc_id, chunk;
