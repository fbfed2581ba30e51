"""Runs a Databricks-style notebook (source format) on a local Spark session.

Cells are separated by ``# COMMAND ----------``; a cell whose lines start with ``# MAGIC %sql``
is SQL, run with ``spark.sql`` and shown; other cells are Python, run in one shared namespace
that has ``spark`` in it. Usage: ``run(path, spark)``.
"""

from __future__ import annotations

from typing import Any, Dict, List

SEPARATOR = "# COMMAND ----------"


def cells(source: str) -> List[str]:
    """The cells of a notebook source, without the header line."""
    lines = source.splitlines()
    if lines and lines[0].startswith("# Databricks notebook source"):
        lines = lines[1:]
    return [c.strip("\n") for c in "\n".join(lines).split(SEPARATOR) if c.strip()]


def run(path: str, spark: Any, namespace: Dict[str, Any] = None) -> Dict[str, Any]:
    """Runs every cell in order; a failing cell raises with its number. Returns the namespace."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    ns: Dict[str, Any] = {"spark": spark} if namespace is None else namespace
    ns.setdefault("spark", spark)
    for number, cell in enumerate(cells(source), start=1):
        magic = [l[len("# MAGIC "):] if l.startswith("# MAGIC ") else l[len("# MAGIC"):]
                 for l in cell.splitlines() if l.startswith("# MAGIC")]
        try:
            if magic and magic[0].strip().startswith("%sql"):
                sql = "\n".join(magic)[len("%sql"):].strip().rstrip(";")
                spark.sql(sql).show(truncate=False)
            elif magic and magic[0].strip().startswith("%md"):
                continue
            else:
                exec(compile(cell, f"{path} [cell {number}]", "exec"), ns)
        except Exception as e:
            raise RuntimeError(f"{path}: cell {number} failed: {e}") from e
    return ns
