"""Documents -> a materialized view of their chunks -> an embedding per chunk, kept current through
PySpark and Lancet's Python API: after a new document, an edit and a removal, the refresh chunks only
the changed documents and the backfill embeds only the new chunks (examples/sql/chunks_view.sql is
the same in SQL).

Run it with Spark's own spark-submit and Lancet's bundle (see the README), e.g.
    bin/lib/spark-with-lancet spark-submit <bundle.jar> <udfs.jar> <warehouse> examples/python/chunks_view.py
"""

from pyspark.sql import SparkSession

import lancet

CHUNKS = ("SELECT d.id AS doc_id, d.title, c.chunk, c.text FROM py_library d,"
          " LATERAL lancet_explode('dev.lancet.examples.SentenceChunker', d.text) c")


def main(spark):
    """Builds the view, changes the documents, refreshes; returns what each step computed."""
    db = lancet.connect(spark)
    db.drop_materialized_view("py_library_chunks", if_exists=True)
    library = db.create_table("py_library", schema="id INT, title STRING, text STRING", mode="overwrite", data=[
        {"id": 1, "title": "Lance", "text": "Lance is a columnar format. It stores vectors and text side by side."},
        {"id": 2, "title": "Lancet", "text": "Lancet computes features. Backfills are incremental."},
        {"id": 3, "title": "Views", "text": "A view keeps derived rows current."},
    ])
    chunks = db.create_materialized_view("py_library_chunks", CHUNKS)
    chunks.add_columns({"emb": lancet.udf("dev.lancet.examples.HashEmbedding", inputs=["text"])})
    steps = {"embedded": chunks.backfill("emb")[0]["rows_computed"]}

    library.add([{"id": 4, "title": "Refresh", "text": "A refresh reads only the fragments that changed."}])
    spark.sql("UPDATE py_library SET text = 'Lancet computes features exactly.' WHERE id = 2")
    spark.sql("DELETE FROM py_library WHERE id = 3")
    refreshed = db.refresh_materialized_view("py_library_chunks")
    steps["refreshed"] = (refreshed["source_rows_read"], refreshed["rows_added"], refreshed["rows_removed"])
    steps["embedded_after"] = chunks.backfill("emb")[0]["rows_computed"]
    again = db.refresh_materialized_view("py_library_chunks")
    steps["refreshed_again"] = (again["source_rows_read"], again["rows_added"], again["rows_removed"])
    steps["fresh"] = [v["fresh"] for v in db.materialized_views() if v["view"].endswith(".py_library_chunks")]
    steps["chunks"] = sorted((r.doc_id, r.chunk, len(r.emb)) for r in chunks.to_df().collect())
    return steps


if __name__ == "__main__":
    session = SparkSession.builder.getOrCreate()
    for step, value in main(session).items():
        print(f"{step}\t{value}")
    session.stop()
