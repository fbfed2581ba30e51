# Databricks notebook source
# MAGIC %md
# MAGIC # Feature engineering with Lancet
# MAGIC Java UDFs become virtual columns of a Lance table; backfills compute them as Ray tasks,
# MAGIC incrementally. Runs on Databricks-style notebooks, or locally:
# MAGIC `python -m lancet.notebook examples/notebooks/feature_engineering.py --bundle <bundle jar> --jars <examples jar>`
# MAGIC (see the README), or as `feature_engineering.ipynb` on the "Python (Lancet)" Jupyter kernel.

# COMMAND ----------

import lancet

db = lancet.connect(spark)
videos = db.create_table(
    "nb_videos",
    schema="filename STRING, duration_sec FLOAT, x INT, y INT, caption STRING",
    mode="overwrite",
    data=[
        {"filename": "cat.mp4", "duration_sec": 12.5, "x": 1920, "y": 1080, "caption": "a cat on a sofa"},
        {"filename": "dog.mp4", "duration_sec": 8.0, "x": 1280, "y": 720, "caption": "a dog in the park"},
        {"filename": "bird.mp4", "duration_sec": 3.2, "x": 640, "y": 480, "caption": None},
    ],
)

# COMMAND ----------

# Three kinds of UDF: scalar (Area), batched over Arrow arrays (FilenameLength), and a stateful
# embedding model whose setup() runs once per worker (HashEmbedding, options via the constructor).
videos.add_columns({
    "area": "dev.lancet.examples.Area",
    "filename_len": "dev.lancet.examples.FilenameLength",
    "embedding": lancet.udf("dev.lancet.examples.HashEmbedding", inputs=["caption"], options={"seed": 7}),
})

# COMMAND ----------

# MAGIC %sql
# MAGIC SHOW VIRTUAL COLUMNS IN nb_videos

# COMMAND ----------

# Filtered backfill: only the rows that have a caption get an embedding.
videos.backfill("embedding", where="caption is not null")
videos.backfill(["area", "filename_len"])

# COMMAND ----------

# New rows arrive; the next backfill computes only them.
videos.add([{"filename": "owl.mp4", "duration_sec": 4.0, "x": 854, "y": 480, "caption": "an owl at night"}])
incremental = videos.backfill(["area", "filename_len"])
assert [r["rows_computed"] for r in incremental] == [1, 1], incremental
videos.backfill("embedding", where="caption is not null")

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT filename, area, filename_len, IF(embedding IS NULL, NULL, size(embedding)) AS dims
# MAGIC FROM nb_videos ORDER BY filename

# COMMAND ----------

# MAGIC %sql
# MAGIC SHOW BACKFILL JOBS IN nb_videos

# COMMAND ----------

final = {
    r.filename: {"area": r.area, "filename_len": r.filename_len, "dims": None if r.embedding is None else len(r.embedding)}
    for r in videos.to_df().collect()
}
print(final)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Documents to chunks that stay current
# MAGIC A materialized view of the documents' chunks (SentenceChunker: whole sentences, one of overlap),
# MAGIC an embedding per chunk as the view's virtual column; then a new document, an edit and a removal.
# MAGIC The refresh chunks only the changed documents, the backfill embeds only the new chunks.

# COMMAND ----------

db.drop_materialized_view("nb_doc_chunks", if_exists=True)
docs = db.create_table("nb_docs", schema="id INT, text STRING", mode="overwrite", data=[
    {"id": 1, "text": "Lance stores columns. Lancet computes features."},
    {"id": 2, "text": "A view keeps derived rows current. It computes only what changed."},
])
chunks = db.create_materialized_view(
    "nb_doc_chunks",
    "SELECT d.id AS doc_id, c.chunk, c.text FROM nb_docs d,"
    " LATERAL lancet_explode('dev.lancet.examples.SentenceChunker', d.text) c")
chunks.add_columns({"emb": lancet.udf("dev.lancet.examples.HashEmbedding", inputs=["text"])})
first_embeddings = chunks.backfill("emb")

# COMMAND ----------

docs.add([{"id": 3, "text": "New documents arrive. They are chunked on refresh."}])
spark.sql("UPDATE nb_docs SET text = 'Lancet computes features exactly.' WHERE id = 1")
spark.sql("DELETE FROM nb_docs WHERE id = 2")
refreshed = db.refresh_materialized_view("nb_doc_chunks")
new_embeddings = chunks.backfill("emb")
unchanged = db.refresh_materialized_view("nb_doc_chunks")
print(refreshed, new_embeddings, unchanged)

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT doc_id, chunk, size(emb) AS dims, text FROM nb_doc_chunks ORDER BY doc_id, chunk

# COMMAND ----------

view_counts = {
    "created": first_embeddings[0]["rows_computed"],
    "refreshed": (refreshed["source_rows_read"], refreshed["rows_added"], refreshed["rows_removed"]),
    "embedded": new_embeddings[0]["rows_computed"],
    "unchanged": (unchanged["source_rows_read"], unchanged["rows_added"], unchanged["rows_removed"]),
    "docs": sorted(r.doc_id for r in chunks.to_df().collect()),
}
print(view_counts)
