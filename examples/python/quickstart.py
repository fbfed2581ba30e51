"""The quickstart through PySpark and Lancet's Python API.

Run it with Spark's own spark-submit and Lancet's bundle (see the README), e.g.
    bin/lib/spark-with-lancet spark-submit <bundle.jar> <udfs.jar> <warehouse> examples/python/quickstart.py
"""

from pyspark.sql import SparkSession

import lancet

spark = SparkSession.builder.getOrCreate()
db = lancet.connect(spark)
videos = db.create_table(
    "py_videos",
    schema="filename STRING, duration_sec FLOAT, x INT, y INT, caption STRING",
    mode="overwrite",
    data=[
        {"filename": "cat.mp4", "duration_sec": 12.5, "x": 1920, "y": 1080, "caption": "a cat on a sofa"},
        {"filename": "dog.mp4", "duration_sec": 8.0, "x": 1280, "y": 720, "caption": "a dog in the park"},
        {"filename": "bird.mp4", "duration_sec": 3.2, "x": 640, "y": 480, "caption": "a bird on a wire"},
    ],
)
videos.add_columns({"area": "dev.lancet.examples.Area"})
print(videos.backfill("area"))
for row in videos.to_df().orderBy("filename").collect():
    print(f"{row.filename}\t{row.x}\t{row.y}\t{row.area}")
spark.stop()
