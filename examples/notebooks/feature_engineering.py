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
