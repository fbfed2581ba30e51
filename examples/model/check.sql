-- all-MiniLM-L6-v2 as a feature, checked against the same model in Python (reference.py wrote
-- ref.json: each sentence with its reference embedding). Run from bin/test with the model's jars.
-- Two columns, one row at a time and batched, share ONNX Runtime's native library in each worker.
DROP TABLE IF EXISTS sentences;
CREATE TABLE sentences (id BIGINT, text STRING, ref ARRAY<FLOAT>);
INSERT INTO sentences SELECT id, text, CAST(ref AS ARRAY<FLOAT>) FROM json.`${REF_JSON}`;
ALTER TABLE sentences ADD COLUMNS
  embedding USING UDF 'com.acme.embed.MiniLmEmbedding',
  embedding_batched USING UDF 'com.acme.embed.MiniLmEmbeddings';
BACKFILL sentences (embedding, embedding_batched);
SELECT count(*) AS sentences,
  round(least(
    min(aggregate(zip_with(embedding, ref, (a, b) -> a * b), 0D, (acc, x) -> acc + x)),
    min(aggregate(zip_with(embedding_batched, ref, (a, b) -> a * b), 0D, (acc, x) -> acc + x))),
    6) AS min_cosine
FROM sentences;
