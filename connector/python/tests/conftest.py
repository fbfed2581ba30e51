"""A local Spark session with Lancet's jars (LANCET_CLASSPATH) and JVM flags (LANCET_JVM_FLAGS), set by bin/test."""

import os
import shutil
import tempfile

import pytest

import lancet


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    classpath = os.environ.get("LANCET_CLASSPATH")
    if not classpath:
        raise RuntimeError("LANCET_CLASSPATH is not set: run these tests through bin/test")
    warehouse = tempfile.mkdtemp(prefix="lancet-pytest-")
    builder = (SparkSession.builder.master("local[2]").appName("lancet-pytest")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.extraClassPath", classpath)
               .config("spark.driver.extraJavaOptions", os.environ.get("LANCET_JVM_FLAGS", "") + " -Dray.run-mode=LOCAL"))
    for k, v in lancet.spark_conf(warehouse).items():
        builder = builder.config(k, v)
    session = builder.getOrCreate()
    yield session
    session.stop()
    shutil.rmtree(warehouse, ignore_errors=True)
