"""A local Spark session given Lancet's bundle and the examples jar (LANCET_JARS, colon-separated) the way
the README tells users (lancet.spark_conf with the bundle: jars, class path, JVM flags); bin/test sets it."""

import os
import shutil
import tempfile

import pytest

import lancet


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    jars = os.environ.get("LANCET_JARS")
    if not jars:
        raise RuntimeError("LANCET_JARS is not set: run these tests through bin/test")
    warehouse = tempfile.mkdtemp(prefix="lancet-pytest-")
    bundle, *udfs = jars.split(":")
    conf = lancet.spark_conf(warehouse, bundle=bundle, jars=udfs)  # as the README's PySpark recipe
    conf["spark.driver.extraJavaOptions"] += " -Dray.run-mode=LOCAL"
    builder = SparkSession.builder.master("local[2]").appName("lancet-pytest").config("spark.ui.enabled", "false")
    for k, v in conf.items():
        builder = builder.config(k, v)
    session = builder.getOrCreate()
    yield session
    session.stop()
    shutil.rmtree(warehouse, ignore_errors=True)
