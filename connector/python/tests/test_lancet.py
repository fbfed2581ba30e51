import os

import pytest

import lancet
from lancet import notebook

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def test_python_api_adds_backfills_and_reads_virtual_columns(spark):
    db = lancet.connect(spark)
    tbl = db.create_table("pyvideos", schema="filename STRING, caption STRING, x INT, y INT", mode="overwrite",
                          data=[{"filename": "cat.mp4", "caption": "a cat", "x": 3, "y": 4},
                                {"filename": "dog.mp4", "caption": None, "x": 5, "y": 6}])
    tbl.add([{"filename": "owl.mp4", "caption": "an owl", "x": 7, "y": 8}])
    tbl.add_columns({"area": "dev.lancet.examples.Area",
                     "emb": lancet.udf("dev.lancet.examples.HashEmbedding", inputs=["caption"], options={"seed": 7})})

    assert tbl.virtual_columns()["area"]["kind"] == "scalar"
    assert tbl.virtual_columns()["emb"]["type"] == "float[16]"
    assert tbl.virtual_columns()["emb"]["options"] == {"seed": "7"}

    first = tbl.backfill("area", where="x > 4")
    assert first[0]["rows_computed"] == 2
    # An unfiltered run after a filtered one computes the rest only; run again, it computes nothing.
    results = tbl.backfill(["area", "emb"], concurrency=1)
    assert [r["rows_computed"] for r in results] == [1, 3]
    again = tbl.backfill(["area", "emb"])
    assert [(r["rows_computed"], r["rows_skipped"]) for r in again] == [(0, 3), (0, 3)]

    rows = {r.filename: r for r in tbl.to_df().collect()}
    assert {f: r.area for f, r in rows.items()} == {"cat.mp4": 12, "dog.mp4": 30, "owl.mp4": 56}
    assert len(rows["cat.mp4"].emb) == 16 and rows["dog.mp4"].emb is None
    assert [j["status"] for j in tbl.jobs()] == ["succeeded"] * 5
    # The jobs and virtual columns are plain tables too (Iceberg's t.snapshots convention).
    per_column = spark.sql("SELECT column, sum(rows_computed) AS n FROM pyvideos.backfill_jobs"
                           " GROUP BY column ORDER BY column").collect()
    assert [(r["column"], r["n"]) for r in per_column] == [("area", 3), ("emb", 3)]
    current = spark.sql("SELECT column, rows_current FROM pyvideos.virtual_columns ORDER BY column").collect()
    assert [(r["column"], r["rows_current"]) for r in current] == [("area", 3), ("emb", 3)]


def test_explain_says_what_backfill_computes_by_why_and_freshness_agrees(spark):
    """explain() changes nothing; its rows by reason are the rows the backfill then computes, and
    the metadata table counts stale rows by the same reasons."""
    db = lancet.connect(spark)
    tbl = db.create_table("pyexplain", schema="id INT, x INT, y INT", mode="overwrite",
                          data=[{"id": i, "x": i, "y": 2} for i in range(20)])
    tbl.add_columns({"area": "dev.lancet.examples.Area"})
    tbl.backfill("area", where="id < 5")
    spark.sql("UPDATE pyexplain SET x = x + 1 WHERE id < 2")
    tbl.add([{"id": 20, "x": 20, "y": 2}])

    plan = tbl.explain("area", where="id < 10 OR id >= 20")[0]
    assert (plan["rows_to_compute"], plan["rows_input_changed"], plan["rows_filtered_out"] + plan["rows_new"]) == (8, 2, 6)
    assert plan["engine"] == "ray" and plan["estimated_seconds"] is not None
    assert "rows to compute: 8" in plan["plan"]
    assert len(tbl.jobs()) == 1, "explain records no job"

    fresh = spark.sql("SELECT rows_current, rows_input_changed, rows_never_computed FROM pyexplain.virtual_columns").first()
    assert (fresh["rows_current"], fresh["rows_input_changed"], fresh["rows_never_computed"]) == (3, 2, 16)
    # A pilot of 3 rows first: the full run then computes the other 5 only.
    assert tbl.explain("area", where="id < 10 OR id >= 20", limit=3)[0]["rows_to_compute"] == 3
    assert tbl.backfill("area", where="id < 10 OR id >= 20", limit=3)[0]["rows_computed"] == 3
    pilot = tbl.jobs()[-1]
    assert pilot["limit"] == 3 and pilot["rows_per_second"] > 0 and pilot["peak_task_memory_bytes"] > 0
    assert tbl.backfill("area", where="id < 10 OR id >= 20")[0]["rows_computed"] == 5
    assert tbl.jobs()[-1]["limit"] is None
    assert tbl.explain(["area"])[0]["rows_to_compute"] == 10


def test_a_sql_expression_column_equals_sparks_own_value(spark):
    db = lancet.connect(spark)
    tbl = db.create_table("pyexpr", schema="id INT, name STRING, x INT", mode="overwrite",
                          data=[{"id": i, "name": f"Clip_{i}_hd" if i % 3 else None, "x": i * 7} for i in range(12)])
    tbl.add_columns({"words": lancet.expr("size(split(lower(name), '_'))"), "half": lancet.expr("x / 2")})
    assert [r["rows_computed"] for r in tbl.backfill(["words", "half"])] == [12, 12]
    differing = spark.sql("SELECT count(*) AS n FROM pyexpr WHERE NOT (words <=> size(split(lower(name), '_')))"
                          " OR NOT (half <=> x / 2)").first()["n"]
    assert differing == 0
    types = {r["column"]: r["type"] for r in spark.sql("SELECT column, type FROM pyexpr.virtual_columns").collect()}
    assert types == {"words": "int", "half": "double"}
    with pytest.raises(lancet.LancetError) as bad:
        tbl.add_columns({"noise": lancet.expr("rand()")})
    assert bad.value.code == "LANCET_INVALID_EXPRESSION"


def test_sibling_columns_are_added_by_a_tuple_and_computed_by_one_call_per_row(spark):
    db = lancet.connect(spark)
    tbl = db.create_table("pysiblings", schema="id INT, width INT, height INT", mode="overwrite",
                          data=[{"id": i, "width": 100 * (i + 1), "height": 50 * (i + 1)} for i in range(6)])
    tbl.add_columns({("pixels", "aspect", "quality"): lancet.udf("dev.lancet.examples.FrameFormat"),
                     "area": lancet.udf("dev.lancet.examples.Area", inputs=["width", "height"])})
    shown = tbl.virtual_columns()
    assert [shown[c]["type"] for c in ("pixels", "aspect", "quality", "area")] == ["bigint", "double", "string", "bigint"]
    assert shown["aspect"]["siblings"] == ["pixels", "aspect", "quality"] and shown["area"]["siblings"] is None
    # Any sibling names the group: one run for the three columns, then nothing to do.
    results = tbl.backfill(["aspect", "quality", "area"])
    assert [(r["column"], r["rows_computed"]) for r in results] == [("pixels", 6), ("area", 6)]
    assert tbl.backfill("pixels")[0]["rows_computed"] == 0
    rows = spark.sql("SELECT id, pixels, aspect, quality FROM pysiblings ORDER BY id").collect()
    assert [(r["pixels"], r["aspect"], r["quality"]) for r in rows][:2] == [(5000, 2.0, "sd"), (20000, 2.0, "sd")]
    groups = {r["column"]: r["siblings"] for r in spark.sql("SELECT column, siblings FROM pysiblings.virtual_columns").collect()}
    assert groups == {"pixels": "pixels, aspect, quality", "aspect": "pixels, aspect, quality",
                      "quality": "pixels, aspect, quality", "area": None}
    # Rows appended with the original columns, as dicts and as a DataFrame: the group's columns read
    # null until the next backfill computes them.
    tbl.add([{"id": 6, "width": 700, "height": 350}])
    tbl.add(spark.createDataFrame([(7, 800, 400)], "id INT, width INT, height INT"))
    assert tbl.backfill("pixels")[0]["rows_computed"] == 2
    assert spark.sql("SELECT count(*) FROM pysiblings WHERE pixels IS NULL OR quality IS NULL").first()[0] == 0


def test_columns_computed_in_a_dataframe_load_by_key(spark):
    db = lancet.connect(spark)
    tbl = db.create_table("pyload", schema="id BIGINT, name STRING", mode="overwrite",
                          data=[{"id": i, "name": f"item{i}"} for i in range(10)])
    scores = spark.createDataFrame([(i, i / 10.0) for i in range(3, 12)], "id BIGINT, score DOUBLE")
    assert tbl.load_columns(["score"], scores, key="id")[0]["rows_computed"] == 10
    assert tbl.load_columns(["score"], scores, key="id")[0]["rows_computed"] == 0
    rows = {r["id"]: r["score"] for r in spark.sql("SELECT id, score FROM pyload").collect()}
    assert rows[2] is None and rows[3] == 0.3 and rows[9] == 0.9
    with pytest.raises(lancet.LancetError) as refused:
        tbl.backfill("score")
    assert refused.value.code == "LANCET_UNSUPPORTED"


def test_a_backfill_on_sparks_executors_matches_one_on_ray(spark):
    """engine='spark' computes on the session's executors what Ray computes, each row once."""
    db = lancet.connect(spark)
    rows = [{"id": i, "x": i % 13, "y": 3} for i in range(300)]
    results = {}
    for engine in ("ray", "spark"):
        tbl = db.create_table(f"py_engine_{engine}", schema="id INT, x INT, y INT", mode="overwrite", data=rows)
        tbl.add_columns({"area": "dev.lancet.examples.Area"})
        first = tbl.backfill("area", engine=engine)[0]
        assert first["rows_computed"] == 300
        again = tbl.backfill("area", engine=engine)[0]
        assert (again["rows_computed"], again["commits"], again["table_version"]) == (0, 0, first["table_version"])
        results[engine] = {r.id: r.area for r in tbl.to_df().collect()}
        assert tbl.jobs()[0]["code"][0] == f"engine {engine}"
    assert results["spark"] == results["ray"] == {i: (i % 13) * 3 for i in range(300)}


def test_the_reference_flow_on_a_users_jar_added_to_the_running_session(spark):
    """Geneva's flow: add a column, backfill some rows, add rows with the original columns, the same
    backfill computes the new rows only (then nothing), refill what is null."""
    jar = os.environ.get("LANCET_USER_JAR")
    if not jar:
        raise RuntimeError("LANCET_USER_JAR is not set: run these tests through bin/test")
    spark.sql(f"ADD JAR '{jar}'")
    db = lancet.connect(spark)
    clips = db.create_table("pyclips", schema="filename STRING, x INT, y INT", mode="overwrite",
                            data=[{"filename": "a.mp4", "x": 640, "y": 480}, {"filename": "ab.mp4", "x": 1280, "y": 720},
                                  {"filename": "b.mp4", "x": 1920, "y": 1080}])
    clips.add_columns({"pixels": "com.acme.features.FramePixels"})
    assert clips.backfill("pixels", where="filename LIKE 'a%'")[0]["rows_computed"] == 2
    clips.add([{"filename": "ac.mp4", "x": 320, "y": 240}, {"filename": "c.mp4", "x": 800, "y": 600}])
    assert {r.filename: r.pixels for r in clips.to_df().collect()}["c.mp4"] is None
    new_rows = clips.backfill("pixels", where="filename LIKE 'a%'")[0]
    assert new_rows["rows_computed"] == 1
    before = new_rows["table_version"]
    again = clips.backfill("pixels", where="filename LIKE 'a%'")[0]
    assert (again["rows_computed"], again["commits"], again["table_version"]) == (0, 0, before)
    assert clips.backfill("pixels", where="pixels IS NULL")[0]["rows_computed"] == 2
    assert {r.filename: r.pixels for r in clips.to_df().collect()} == {
        "a.mp4": 307200, "ab.mp4": 921600, "ac.mp4": 76800, "b.mp4": 2073600, "c.mp4": 480000}
    # A UDF of the same jar built against Guava 18 (bundled), older than the engine's: it runs with its own.
    clips.add_columns({"label": "com.acme.features.ClipLabel"})
    assert clips.backfill("label")[0]["rows_computed"] == 5
    assert sorted(r.label for r in clips.to_df().collect()) == [
        "clip{file=a.mp4}", "clip{file=ab.mp4}", "clip{file=ac.mp4}", "clip{file=b.mp4}", "clip{file=c.mp4}"]


def test_create_table_takes_a_pyarrow_schema_and_pyarrow_data(spark):
    import pyarrow as pa

    db = lancet.connect(spark)
    schema = pa.schema([("filename", pa.string()), ("x", pa.int32()), ("y", pa.int32()), ("score", pa.float64())])
    data = pa.table({"filename": ["a.mp4", "b.mp4"], "x": [2, 4], "y": [3, 5], "score": [0.5, None]}, schema=schema)
    tbl = db.create_table("pyarrow_videos", schema=schema, data=data, mode="overwrite")
    assert [f.simpleString() for f in tbl.to_df().schema.fields] == ["filename:string", "x:int", "y:int", "score:double"]
    tbl.add_columns({"area": "dev.lancet.examples.Area"}, backfill=True)
    assert {r.filename: r.area for r in tbl.to_df().collect()} == {"a.mp4": 6, "b.mp4": 20}
    assert "pyarrow_videos" in db.table_names()
    with pytest.raises(lancet.LancetError, match="column 'd': pyarrow type date64"):
        db.create_table("bad", schema=pa.schema([("d", pa.date64())]))


def test_create_table_and_add_take_spark_dataframes(spark):
    db = lancet.connect(spark)
    df = spark.range(0, 100).selectExpr("CAST(id AS INT) AS x", "CAST(id % 7 AS INT) AS y")
    tbl = db.create_table("from_spark_df", data=df, mode="overwrite")  # its schema is the table's
    assert [f.simpleString() for f in tbl.to_df().schema.fields] == ["x:int", "y:int"]
    tbl.add_columns({"area": "dev.lancet.examples.Area"}, backfill=True)
    tbl.add(spark.range(100, 110).selectExpr("CAST(id % 7 AS INT) AS y", "CAST(id AS INT) AS x"))  # by name
    assert tbl.backfill("area")[0]["rows_computed"] == 10
    assert tbl.to_df().count() == 110
    assert tbl.to_df().where("area IS NULL OR area <> CAST(x AS BIGINT) * y").count() == 0
    with pytest.raises(lancet.LancetError, match="the DataFrame has no column y"):
        tbl.add(spark.range(1).selectExpr("CAST(id AS INT) AS x"))


def test_jvm_errors_come_back_as_one_line_lancet_errors(spark):
    db = lancet.connect(spark)
    tbl = db.create_table("pyerrors", schema="x INT, y INT", mode="overwrite")
    with pytest.raises(lancet.LancetError) as e:
        tbl.add_columns({"area": "com.acme.Missing"})
    assert str(e.value) == "[LANCET_UDF_NOT_FOUND] UDF class 'com.acme.Missing' was not found on the classpath"
    assert e.value.code == "LANCET_UDF_NOT_FOUND"
    assert e.value.message == "UDF class 'com.acme.Missing' was not found on the classpath"
    assert e.value.__cause__ is not None, "the Java error is kept as the cause"
    with pytest.raises(lancet.LancetError, match="column 'nope' of lancet.default.pyerrors is not a virtual column"):
        tbl.backfill("nope")
    with pytest.raises(lancet.LancetError, match="is not a Lance table|not found"):
        db.open_table("no_such_table")


def test_errors_carry_their_stable_code_through_the_api_and_sql(spark):
    from pyspark.errors import AnalysisException, ParseException

    db = lancet.connect(spark)
    tbl = db.create_table("pycodes", schema="x INT, y INT", mode="overwrite")
    with pytest.raises(lancet.LancetError) as api:  # the Java API: a LancetException's code()
        tbl.backfill("x")
    assert api.value.code == "LANCET_COLUMN_NOT_VIRTUAL"
    assert str(api.value).startswith("[LANCET_COLUMN_NOT_VIRTUAL] column 'x' of "), str(api.value)
    with pytest.raises(lancet.LancetError) as sql:  # a statement: Spark's AnalysisException, its error class
        lancet._call(lambda: spark.sql("CANCEL BACKFILL 'no-such-job'"))
    assert sql.value.code == "LANCET_JOB_NOT_FOUND"
    assert sql.value.message.startswith("no backfill job 'no-such-job'"), sql.value.message
    assert not sql.value.message.startswith("["), "the code is not repeated in the message"
    with pytest.raises(AnalysisException) as raw:  # PySpark's own exception shows the code too
        spark.sql("CANCEL BACKFILL 'no-such-job'")
    assert raw.value.getErrorClass() == "LANCET_JOB_NOT_FOUND"
    with pytest.raises(ParseException) as parse:
        spark.sql("BACKFILL pycodes (x) WHERE")
    assert parse.value.getErrorClass() == "LANCET_PARSE_ERROR"
    assert lancet.LancetError("[LANCET_INVALID_OPTION] bad").code == "LANCET_INVALID_OPTION"
    assert lancet.LancetError("no code here").code is None


def test_feature_engineering_notebook_runs_end_to_end(spark):
    ns = notebook.run(os.path.join(ROOT, "examples", "notebooks", "feature_engineering.py"), spark)
    assert ns["final"]["cat.mp4"] == {"area": 2073600, "filename_len": 7, "dims": 16}
    # The chunks view: 2 documents of 1 chunk each, then documents 1 (edited) and 3 (new) chunked
    # again and document 2's chunk removed, 2 new embeddings; then nothing.
    assert ns["view_counts"] == {"created": 2, "refreshed": (2, 2, 2), "embedded": 2, "unchanged": (0, 0, 0),
                                 "docs": [1, 3]}


def test_materialized_view_example_through_python_computes_only_the_changed_work(spark):
    import runpy
    example = runpy.run_path(os.path.join(ROOT, "examples", "python", "chunks_view.py"))
    steps = example["main"](spark)
    assert steps["embedded"] == 3
    assert steps["refreshed"] == (2, 2, 2), steps  # documents 4 and 2 read; 2's old chunk and 3's removed
    assert steps["embedded_after"] == 2
    assert steps["refreshed_again"] == (0, 0, 0)
    assert steps["fresh"] == [True]
    assert steps["chunks"] == [(1, 0, 16), (2, 0, 16), (4, 0, 16)]
    db = lancet.connect(spark)
    with pytest.raises(lancet.LancetError) as refused:
        db.create_materialized_view("py_counts", "SELECT title, count(*) AS n FROM py_library GROUP BY title")
    assert refused.value.code == "LANCET_UNSUPPORTED"
    db.drop_materialized_view("py_library_chunks")
    assert not [v for v in db.materialized_views() if v["view"].endswith(".py_library_chunks")]


def test_a_views_error_policy_is_given_through_python(spark):
    """on_error and max_error_fraction reach CREATE and REFRESH as OPTIONS (their effect on failing
    rows is MaterializedViewSqlTest's); rows_failed is in what a refresh returns."""
    db = lancet.connect(spark)
    spark.sql("CREATE TABLE py_notes (id INT, text STRING)")
    spark.sql("INSERT INTO py_notes VALUES (1, 'One sentence.'), (2, NULL), (3, 'Two. Sentences.')")
    db.create_materialized_view(
        "py_note_chunks",
        "SELECT n.id, c.chunk FROM py_notes n, LATERAL lancet_explode('dev.lancet.examples.SentenceChunker', n.text) c",
        on_error="skip", max_error_fraction=0.5)
    spark.sql("INSERT INTO py_notes VALUES (4, 'Four.')")
    done = db.refresh_materialized_view("py_note_chunks", on_error="fail", fragments_per_commit=1)
    assert (done["source_rows_read"], done["rows_failed"]) == (1, 0), done
    assert spark.sql("SHOW BACKFILL ERRORS IN py_note_chunks").count() == 0
    with pytest.raises(lancet.LancetError) as bad:
        db.refresh_materialized_view("py_note_chunks", on_error="sometimes")
    assert bad.value.code == "LANCET_PARSE_ERROR", bad.value
    assert "REFRESH option 'on_error' must be 'fail' or 'skip', got 'sometimes'" in str(bad.value)
    db.drop_materialized_view("py_note_chunks")


def test_a_partitioned_view_is_created_and_refreshed_by_group_through_python(spark):
    """partition_by reaches CREATE as PARTITION BY: an N:M UDF over each video's frames, and a
    refresh that computes again only the videos with a new frame."""
    db = lancet.connect(spark)
    spark.sql("CREATE TABLE py_frames (video_id INT, frame INT, brightness DOUBLE)")
    spark.sql("INSERT INTO py_frames VALUES (1, 0, 0.1), (1, 1, 0.9), (2, 0, 0.5)")
    query = ("SELECT g.video_id, s.* FROM (SELECT video_id, collect_list(struct(frame, brightness)) AS"
             " frames FROM py_frames GROUP BY video_id) g,"
             " LATERAL lancet_explode('dev.lancet.examples.SceneDetector', g.frames) s")
    db.create_materialized_view("py_scenes", query, partition_by="video_id",
                                on_error="skip", max_error_fraction=0.5)
    assert spark.table("py_scenes").count() == 3  # video 1: two scenes, video 2: one
    spark.sql("INSERT INTO py_frames VALUES (2, 1, 0.95)")
    done = db.refresh_materialized_view("py_scenes")
    assert (done["source_rows_read"], done["rows_removed"], done["rows_added"], done["rows_failed"]) \
        == (2, 1, 2, 0), done
    assert sorted((r.video_id, r.scene) for r in spark.table("py_scenes").collect()) \
        == [(1, 0), (1, 1), (2, 0), (2, 1)]
    assert db.refresh_materialized_view("py_scenes")["fragments_computed"] == 0
    db.drop_materialized_view("py_scenes")


def test_cancelling_the_spark_jobs_stops_a_running_backfill(spark):
    """PySpark's Ctrl-C calls SparkContext.cancelAllJobs(): a running backfill stops and is recorded cancelled."""
    import threading
    import time

    db = lancet.connect(spark)
    clips = db.create_table("pycancel", schema="filename STRING", mode="overwrite",
                            data=[{"filename": f"clip-{i}.mp4"} for i in range(200)])
    clips.add_columns({"size": lancet.udf("dev.lancet.examples.SimulatedDownload", options={"delay_ms": 30})})
    outcome = {}

    def run():
        try:
            outcome["result"] = clips.backfill("size", batch_size=5, concurrency=1)
        except lancet.LancetError as e:
            outcome["error"] = e

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.time() + 60
    while not clips.jobs() or clips.jobs()[-1]["status"] != "running":
        assert time.time() < deadline, "the backfill did not start"
        time.sleep(0.05)
    time.sleep(1.0)
    spark.sparkContext.cancelAllJobs()
    worker.join(60)

    assert "error" in outcome, outcome
    assert "the backfill was cancelled (the Spark job of this statement was cancelled)" in str(outcome["error"])
    assert "\tat " not in str(outcome["error"]), "one line, no Java stack trace"
    assert clips.jobs()[-1]["status"] == "cancelled"
    rest = clips.backfill("size", concurrency=2)[0]
    assert rest["rows_computed"] + rest["rows_skipped"] == 200


def test_ctrl_c_during_a_python_backfill_stops_it_before_keyboard_interrupt(spark):
    """Ctrl-C (SIGINT) in PySpark's main thread during Table.backfill, on either engine, or during a
    BACKFILL statement run by lancet.sql: the backfill
    stops and is recorded cancelled before KeyboardInterrupt reaches the caller, nothing computes on
    in the background, and the next backfill computes the rest. Before, the interrupted py4j call
    failed at once with "An error occurred while calling o88.backfill" and the JVM went on."""
    import signal
    import threading
    import time

    db = lancet.connect(spark)
    for engine in ("ray", "spark", "sql"):
        clips = db.create_table(f"pyctrlc_{engine}", schema="filename STRING", mode="overwrite",
                                data=[{"filename": f"clip-{i}.mp4"} for i in range(200)])
        clips.add_columns({"size": lancet.udf("dev.lancet.examples.SimulatedDownload", options={"delay_ms": 30})})

        def interrupt():
            deadline = time.time() + 60
            while not clips.jobs() or clips.jobs()[-1]["status"] != "running":
                if time.time() > deadline:
                    return
                time.sleep(0.05)
            time.sleep(1.0)
            os.kill(os.getpid(), signal.SIGINT)  # as a terminal's Ctrl-C or a notebook's interrupt

        threading.Thread(target=interrupt, daemon=True).start()
        started = time.time()
        with pytest.raises(KeyboardInterrupt):
            if engine == "sql":  # a BACKFILL statement through lancet.sql, not spark.sql
                lancet.sql(spark, f"BACKFILL {clips.name} (size) OPTIONS (batch_size = 5, concurrency = 1)")
            else:
                clips.backfill("size", batch_size=5, concurrency=1, engine=engine)
        assert time.time() - started < 60
        assert clips.jobs()[-1]["status"] == "cancelled", engine
        rest = clips.backfill("size", concurrency=2, engine="ray" if engine == "sql" else engine)[0]
        assert rest["rows_computed"] + rest["rows_skipped"] == 200, engine
        assert clips.to_df().where("size IS NULL").count() == 0, engine


def _free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_warehouse_in_an_s3_bucket_takes_storage_options_from_pyspark(spark):
    """moto's S3 server process (LANCET_MOTO_SERVER, installed by bin/test) holds the warehouse."""
    import subprocess
    import time
    import urllib.request

    server = os.environ.get("LANCET_MOTO_SERVER")
    if not server:
        raise RuntimeError("LANCET_MOTO_SERVER is not set: run these tests through bin/test")
    port = _free_port()
    proc = subprocess.Popen([server, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        endpoint = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(urllib.request.Request(f"{endpoint}/pybucket", method="PUT"), timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        options = {"endpoint": endpoint, "region": "us-east-1", "access_key_id": "py-key",
                   "secret_access_key": "py-secret", "allow_http": "true", "virtual_hosted_style_request": "false"}
        for k, v in lancet.spark_conf("s3://pybucket/warehouse", options, catalog="s3wh").items():
            if k != "spark.sql.extensions":  # a static setting, already in the session
                spark.conf.set(k, v)
        spark.sql("CREATE NAMESPACE IF NOT EXISTS s3wh.`default`")
        spark.sql("CREATE TABLE s3wh.default.clips (filename STRING, x INT, y INT)")
        spark.sql("INSERT INTO s3wh.default.clips VALUES ('a.mp4', 2, 3), ('b.mp4', 4, 5)")
        spark.sql("ALTER TABLE s3wh.default.clips ADD COLUMN area USING UDF 'dev.lancet.examples.Area'")
        first = spark.sql("BACKFILL s3wh.default.clips (area)").collect()[0]
        assert first["rows_computed"] == 2
        spark.sql("INSERT INTO s3wh.default.clips VALUES ('c.mp4', 6, 7)")
        assert spark.sql("BACKFILL s3wh.default.clips (area)").collect()[0]["rows_computed"] == 1
        rows = {r.filename: r.area for r in spark.sql("SELECT filename, area FROM s3wh.default.clips").collect()}
        assert rows == {"a.mp4": 6, "b.mp4": 20, "c.mp4": 42}
        listing = urllib.request.urlopen(f"{endpoint}/pybucket?list-type=2&prefix=warehouse/", timeout=5).read().decode()
        assert "_lancet/jobs" in listing, "the job records are in the bucket"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_real_model_embeds_as_the_same_model_does_in_python(spark):
    """all-MiniLM-L6-v2 (examples/model) from PySpark: the UDF's jar and its own dependencies (ONNX
    Runtime with native code, the model's jar) added to the session, pinned by the column; each
    embedding matches the same model run in Python (bin/test wrote LANCET_MODEL_REF)."""
    import json

    jars, ref = os.environ.get("LANCET_MODEL_JARS"), os.environ.get("LANCET_MODEL_REF")
    if not jars or not ref:
        raise RuntimeError("LANCET_MODEL_JARS is not set: run these tests through bin/test")
    for jar in jars.split(","):
        spark.sql(f"ADD JAR '{jar}'")
    with open(ref, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f][:100]
    db = lancet.connect(spark)
    tbl = db.create_table("pysentences", schema="id BIGINT, text STRING", mode="overwrite",
                          data=[{"id": r["id"], "text": r["text"]} for r in rows])
    tbl.add_columns({"embedding": "com.acme.embed.MiniLmEmbedding"})
    assert tbl.backfill("embedding")[0]["rows_computed"] == len(rows)
    got = {r.id: r.embedding for r in tbl.to_df().collect()}
    for r in rows:
        cosine = sum(a * b for a, b in zip(got[r["id"]], r["ref"]))
        assert cosine >= 0.999, (r["text"], cosine)
