-- all-MiniLM-L6-v2 as a feature, checked against the same model in Python (reference.py wrote
-- ref.json: each sentence with its reference embedding). Run from bin/test with the model's jars.
DROP TABLE IF EXISTS sentences;
CREATE TABLE sentences (id BIGINT, text STRING, ref ARRAY<FLOAT>);
INSERT INTO sentences SELECT id, text, CAST(ref AS ARRAY<FLOAT>) FROM json.`${REF_JSON}`;
ALTER TABLE sentences ADD COLUMN embedding USING UDF 'com.acme.embed.MiniLmEmbedding';
BACKFILL sentences (embedding);
SELECT count(*) AS sentences,
  round(min(aggregate(zip_with(embedding, ref, (a, b) -> a * b), 0D, (acc, x) -> acc + x)), 6)
    AS min_cosine
FROM sentences;
