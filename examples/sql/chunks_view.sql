-- Documents -> a materialized view of their chunks (a real sentence-aware chunker with overlap) ->
-- an embedding per chunk as the view's virtual column. Then documents are added, one is updated and
-- one deleted: REFRESH computes only the changed documents' chunks, BACKFILL only the new chunks'
-- embeddings, and the same statements again compute nothing.
-- Run it with: bin/lancet-sql -f examples/sql/chunks_view.sql

DROP MATERIALIZED VIEW IF EXISTS library_chunks;
DROP TABLE IF EXISTS library;
CREATE TABLE library (id INT, title STRING, text STRING);
INSERT INTO library VALUES
  (1, 'Lance', 'Lance is a columnar format for machine learning. It stores vectors, images and text side by side. Its fragments are files of rows. Deletions are vectors beside them. Columns can be added without rewriting the others, which is what feature work needs most.'),
  (2, 'Lancet', 'Lancet computes features as virtual columns. A backfill computes only rows whose value is missing or stale.'),
  (3, 'Views', 'A materialized view keeps derived rows current. It computes only what changed in its source.');

-- The chunks: SentenceChunker packs whole sentences into chunks of at most 200 characters, each
-- chunk after the first starting with the last sentence of the one before. One call per document.
CREATE MATERIALIZED VIEW library_chunks AS
SELECT d.id AS doc_id, d.title, c.chunk, c.text
FROM library d, LATERAL lancet_explode('dev.lancet.examples.SentenceChunker', d.text) c;

-- An embedding per chunk, computed by the backfill engine (HashEmbedding stands in for a model
-- here; examples/model has all-MiniLM-L6-v2).
ALTER TABLE library_chunks ADD COLUMN emb USING UDF 'dev.lancet.examples.HashEmbedding' INPUTS (text);
BACKFILL library_chunks (emb);

-- The library changes: a new document, an edit, a removal.
INSERT INTO library VALUES
  (4, 'Refresh', 'A refresh reads the source fragments that changed. Identical reruns make no new version.');
UPDATE library SET text = 'Lancet computes features in Spark and Ray. Backfills are exact and resumable.' WHERE id = 2;
DELETE FROM library WHERE id = 3;

-- Only documents 4 and 2 are chunked again (source_rows_read = 2); document 3's chunks go.
REFRESH MATERIALIZED VIEW library_chunks;
-- Only the new chunks get an embedding (rows_computed = 2).
BACKFILL library_chunks (emb);
-- Nothing changed since: nothing computed, no new version.
REFRESH MATERIALIZED VIEW library_chunks;
BACKFILL library_chunks (emb);
SHOW MATERIALIZED VIEWS;

SELECT doc_id, chunk, size(emb) AS dims, text FROM library_chunks ORDER BY doc_id, chunk;
