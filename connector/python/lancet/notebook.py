"""Databricks-style notebooks (source format) on a local Spark session, and as Jupyter notebooks.

Cells are separated by ``# COMMAND ----------``; a cell whose lines start with ``# MAGIC %sql``
is SQL, run with ``spark.sql`` and shown; ``# MAGIC %md`` cells are text; other cells are Python,
run in one shared namespace that has ``spark`` in it.

Run one from a shell (the session is built from Lancet's bundle jar, as the README's PySpark recipe)::

    python -m lancet.notebook feature_engineering.py --bundle lancet-connector-...-bundle.jar \\
        --jars lancet-examples-...jar [--warehouse ./lancet-warehouse]

or from Python with a session of your own: ``run(path, spark)``. ``to_ipynb`` turns the source into
a Jupyter notebook, and ``python -m lancet.notebook --install-kernel ...`` installs a Jupyter kernel
("Python (Lancet)") whose ``spark`` is a Lancet session, as a Databricks notebook's is.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Dict, List, Optional, Sequence

SEPARATOR = "# COMMAND ----------"
KERNEL_NAME = "lancet"
_SESSION_LINE = "import lancet; from lancet.notebook import session; spark = session()"


def cells(source: str) -> List[str]:
    """The cells of a notebook source, without the header line."""
    lines = source.splitlines()
    if lines and lines[0].startswith("# Databricks notebook source"):
        lines = lines[1:]
    return [c.strip("\n") for c in "\n".join(lines).split(SEPARATOR) if c.strip()]


def _magic(cell: str) -> List[str]:
    return [l[len("# MAGIC "):] if l.startswith("# MAGIC ") else l[len("# MAGIC"):]
            for l in cell.splitlines() if l.startswith("# MAGIC")]


def run(path: str, spark: Any, namespace: Dict[str, Any] = None) -> Dict[str, Any]:
    """Runs every cell in order; a failing cell raises with its number. Returns the namespace."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    ns: Dict[str, Any] = {"spark": spark} if namespace is None else namespace
    ns.setdefault("spark", spark)
    for number, cell in enumerate(cells(source), start=1):
        magic = _magic(cell)
        try:
            if magic and magic[0].strip().startswith("%sql"):
                import lancet

                lancet.sql(spark, _sql(magic)).show(truncate=False)  # Ctrl-C stops a BACKFILL
            elif magic and magic[0].strip().startswith("%md"):
                continue
            else:
                exec(compile(cell, f"{path} [cell {number}]", "exec"), ns)
        except Exception as e:
            raise RuntimeError(f"{path}: cell {number} failed: {e}") from e
    return ns


def _sql(magic: List[str]) -> str:
    return "\n".join(magic).strip()[len("%sql"):].strip().rstrip(";")


def to_ipynb(source: str) -> Dict[str, Any]:
    """The Jupyter notebook (nbformat 4) of a notebook source: text cells as Markdown, SQL cells as
    ``lancet.sql(spark, ...).show()`` (so that interrupting the kernel stops a BACKFILL), Python
    cells as they are. Its kernel is the Lancet kernel, whose ``lancet`` and ``spark`` are there."""
    out = []
    for cell in cells(source):
        magic = _magic(cell)
        if magic and magic[0].strip().startswith("%md"):
            text = "\n".join(magic).strip()[len("%md"):].strip()
            out.append({"cell_type": "markdown", "id": f"cell-{len(out) + 1}", "metadata": {}, "source": _lines(text)})
            continue
        code = cell
        if magic and magic[0].strip().startswith("%sql"):
            code = 'lancet.sql(spark, """\n' + _sql(magic) + '\n""").show(truncate=False)'
        out.append({"cell_type": "code", "execution_count": None, "id": f"cell-{len(out) + 1}", "metadata": {}, "outputs": [],
                    "source": _lines(code)})
    return {
        "cells": out,
        "metadata": {
            "kernelspec": {"display_name": "Python (Lancet)", "language": "python", "name": KERNEL_NAME},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _lines(text: str) -> List[str]:
    lines = text.split("\n")
    return [l + "\n" for l in lines[:-1]] + [lines[-1]]


def session(bundle: Optional[str] = None, jars: Sequence[str] = (), warehouse: Optional[str] = None,
            master: Optional[str] = None) -> Any:
    """A local Lancet SparkSession: the bundle jar, UDF jars and warehouse given, else from
    ``LANCET_BUNDLE``, ``LANCET_UDF_JARS`` (separated by ``os.pathsep``) and ``LANCET_WAREHOUSE``
    (default ``./lancet-warehouse``); extra JVM options from ``LANCET_JAVA_OPTS``."""
    import lancet
    from pyspark.sql import SparkSession

    bundle = bundle or os.environ.get("LANCET_BUNDLE")
    if not bundle:
        raise lancet.LancetError("no Lancet bundle jar: pass bundle= or set LANCET_BUNDLE "
                                 "(connector/target/lancet-connector-<version>-bundle.jar after the build)")
    jars = list(jars) or [j for j in os.environ.get("LANCET_UDF_JARS", "").split(os.pathsep) if j]
    warehouse = os.path.abspath(warehouse or os.environ.get("LANCET_WAREHOUSE", "lancet-warehouse"))
    conf = lancet.spark_conf(warehouse, bundle=bundle, jars=jars)
    extra = os.environ.get("LANCET_JAVA_OPTS")
    if extra:
        conf["spark.driver.extraJavaOptions"] += " " + extra
    builder = SparkSession.builder.master(master or os.environ.get("LANCET_MASTER", "local[*]")).appName("lancet")
    builder = builder.config("spark.ui.enabled", "false")
    for k, v in conf.items():
        builder = builder.config(k, v)
    return builder.getOrCreate()


def install_kernel(bundle: str, jars: Sequence[str] = (), warehouse: Optional[str] = None,
                   prefix: Optional[str] = None, name: str = KERNEL_NAME) -> str:
    """Installs a Jupyter kernel whose ``spark`` is a Lancet session (see :func:`session`) into
    ``prefix`` (default: this Python's environment); returns the kernel's directory."""
    base = os.path.join(prefix or sys.prefix, "share", "jupyter", "kernels", name)
    os.makedirs(base, exist_ok=True)
    env = {"LANCET_BUNDLE": os.path.abspath(bundle),
           "LANCET_UDF_JARS": os.pathsep.join(os.path.abspath(j) for j in jars)}
    if warehouse:
        env["LANCET_WAREHOUSE"] = os.path.abspath(warehouse)
    for key in ("LANCET_JAVA_OPTS", "LANCET_MASTER"):
        if os.environ.get(key):
            env[key] = os.environ[key]
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 f"--IPKernelApp.exec_lines={_SESSION_LINE}"],
        "display_name": "Python (Lancet)",
        "language": "python",
        "env": env,
    }
    with open(os.path.join(base, "kernel.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)
    return base


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lancet.notebook",
                                     description="Runs a Databricks-style notebook on a local Lancet session, "
                                                 "converts it to .ipynb, or installs the Lancet Jupyter kernel.")
    parser.add_argument("notebook", nargs="?", help="the notebook source (.py) to run or convert")
    parser.add_argument("--bundle", help="Lancet's bundle jar (default $LANCET_BUNDLE)")
    parser.add_argument("--jars", default="", help="UDF jars, comma-separated")
    parser.add_argument("--warehouse", help="the Lance warehouse (default $LANCET_WAREHOUSE or ./lancet-warehouse)")
    parser.add_argument("--to-ipynb", metavar="OUT", help="write the notebook as a Jupyter notebook and exit")
    parser.add_argument("--install-kernel", action="store_true", help="install the 'Python (Lancet)' kernel and exit")
    args = parser.parse_args(argv)
    jars = [j for j in args.jars.split(",") if j]
    if args.install_kernel:
        bundle = args.bundle or os.environ.get("LANCET_BUNDLE")
        if not bundle:
            parser.error("--install-kernel needs --bundle (or LANCET_BUNDLE)")
        print(install_kernel(bundle, jars, args.warehouse))
        return 0
    if not args.notebook:
        parser.error("give a notebook")
    if args.to_ipynb:
        with open(args.notebook, encoding="utf-8") as f:
            nb = to_ipynb(f.read())
        with open(args.to_ipynb, "w", encoding="utf-8") as f:
            json.dump(nb, f, indent=1)
            f.write("\n")
        return 0
    spark = session(args.bundle, jars, args.warehouse)
    try:
        run(args.notebook, spark)
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
