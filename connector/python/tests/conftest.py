"""A local Spark session given Lancet's bundle and the examples jar (LANCET_JARS, colon-separated) the way
the README tells users, plus the JVM flags (LANCET_JVM_FLAGS); bin/test sets both."""

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
    builder = (SparkSession.builder.master("local[2]").appName("lancet-pytest")
               .config("spark.ui.enabled", "false")
               .config("spark.jars", jars.replace(":", ","))
               # Ahead of Spark's own jars, so Lance's Arrow 18 wins over Spark's Arrow 12.
               .config("spark.driver.extraClassPath", jars)
               .config("spark.driver.extraJavaOptions", os.environ.get("LANCET_JVM_FLAGS", "") + " -Dray.run-mode=LOCAL"))
    for k, v in lancet.spark_conf(warehouse).items():
        builder = builder.config(k, v)
    session = builder.getOrCreate()
    yield session
    session.stop()
    shutil.rmtree(warehouse, ignore_errors=True)
