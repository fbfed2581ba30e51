"""PySpark API for Lancet: Java UDFs as virtual columns of Lance tables, backfilled on Ray.

Everything goes through the JVM engine of the active SparkSession (``dev.lancet.spark.Lancet``);
this module only translates arguments and results. Errors raised by the JVM come back as
:class:`LancetError` with the engine's one-line message and its stable ``code``.
"""

from __future__ import annotations

import os
import re
import threading
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

__all__ = ["LancetError", "UdfRef", "udf", "connect", "sql", "spark_conf", "jvm_flags", "LancetDB", "Table"]

CATALOG = "lancet"
_JVM_FLAGS_ENTRY = "dev/lancet/spark/jvm-flags.txt"
_UDF_KEY = "lancet.udf"  # a virtual column's Spark field metadata holds its definition under this key
_SIBLING_KEY = "lancet.sibling_of"  # and a sibling column's, the column whose UDF computes it


_CODE_PREFIX = re.compile(r"^\[([A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)*)\]\s*")


class LancetError(Exception):
    """A Lancet operation failed; the message says what and where.

    ``code`` is the error's stable code (``LANCET_UDF_NOT_FOUND``, ``LANCET_COLUMN_NOT_VIRTUAL``...,
    listed in docs/RELIABILITY.md; Spark's error class for Spark's own errors), or None for errors
    without one. ``str(e)`` reads ``[CODE] message``; ``e.message`` is the message alone.
    """

    def __init__(self, message: str, code: Optional[str] = None):
        prefix = _CODE_PREFIX.match(message)
        if prefix:
            code = code or prefix.group(1)
            message = message[prefix.end():]
        self.code = code
        self.message = message
        super().__init__(f"[{code}] {message}" if code else message)


@dataclass(frozen=True)
class UdfRef:
    """A UDF class to compute a column, with optional inputs, output type and options."""

    class_name: str
    inputs: Sequence[str] = ()
    type: Optional[str] = None
    options: Mapping[str, str] = field(default_factory=dict)


def udf(class_name: str, inputs: Optional[Sequence[str]] = None, type: Optional[str] = None,
        options: Optional[Mapping[str, Any]] = None) -> UdfRef:
    """Names a UDF class for :meth:`Table.add_columns`, e.g. ``udf("com.acme.Embed", options={"model": "small"})``."""
    return UdfRef(class_name, tuple(inputs or ()), type, {k: str(v) for k, v in (options or {}).items()})


def expr(sql: str, type: Optional[str] = None) -> UdfRef:
    """A column that is a Spark SQL expression of the row's columns, for :meth:`Table.add_columns`:
    ``{"area": expr("x * y")}`` (``ALTER TABLE ... ADD COLUMN area AS (x * y)``)."""
    return UdfRef("dev.lancet.spark.expressions.SqlExpressionUdf", (), type, {"expression": sql})


def _results(results: Any) -> List[Dict[str, Any]]:
    """Backfill results as dicts, one per column."""
    return [
        {"column": r.column(), "rows_computed": r.rowsComputed(), "rows_skipped": r.rowsSkipped(),
         "rows_failed": r.rowsFailed(), "fragments_committed": r.fragmentsCommitted(), "commits": r.commits(),
         "table_version": r.tableVersion(), "job_id": r.jobId()}
        for r in results
    ]


def spark_conf(warehouse: str, storage_options: Optional[Mapping[str, str]] = None,
               catalog: str = CATALOG, bundle: Optional[str] = None, jars: Sequence[str] = ()) -> Dict[str, str]:
    """The Spark settings of a Lancet session over a Lance warehouse.

    ``warehouse`` is a directory or an object-store URI (``s3://bucket/prefix``); ``storage_options``
    are Lance's (``region``, ``access_key_id``, ``secret_access_key``, ``endpoint``, ``allow_http``...),
    given to the catalog as ``storage.<key>``. ``catalog`` names the catalog (``lancet`` by default,
    then also the session's default catalog; a second one can be added to a running session with
    ``spark.conf.set``). Given the path of Lancet's ``bundle`` jar, the settings also put it and the
    UDF ``jars`` on the driver's class path and in ``spark.jars``, and add the driver's JVM options,
    which the bundle carries: what a new session needs, and the same as ``bin/lancet-sql --print-spark-conf``.
    """
    conf: Dict[str, str] = {}
    if bundle is not None:
        paths = [os.path.abspath(p) for p in [bundle, *jars]]
        conf["spark.jars"] = ",".join(paths)
        # Ahead of Spark's own jars, so Lance's Arrow 18 wins over Spark's Arrow 12.
        conf["spark.driver.extraClassPath"] = os.pathsep.join(paths)
        conf["spark.driver.extraJavaOptions"] = jvm_flags(bundle)
    conf.update({
        "spark.sql.extensions": "org.lance.spark.extensions.LanceSparkSessionExtensions,"
                                "dev.lancet.spark.LancetSparkSessionExtensions",
        f"spark.sql.catalog.{catalog}": "dev.lancet.spark.catalog.LancetCatalog",
        f"spark.sql.catalog.{catalog}.impl": "dir",
        f"spark.sql.catalog.{catalog}.root": warehouse,
    })
    if catalog == CATALOG:
        conf["spark.sql.defaultCatalog"] = CATALOG  # bare names: lancet.default.<name>, in every client
    for k, v in (storage_options or {}).items():
        conf[f"spark.sql.catalog.{catalog}.storage.{k}"] = str(v)
    return conf


def jvm_flags(bundle: str) -> str:
    """The JVM options a Lancet driver needs (for ``spark.driver.extraJavaOptions``), read from the bundle jar."""
    try:
        with zipfile.ZipFile(bundle) as jar:
            return jar.read(_JVM_FLAGS_ENTRY).decode("utf-8").strip()
    except (OSError, KeyError, zipfile.BadZipFile) as e:
        raise LancetError(f"cannot read the JVM flags from {bundle}: {e}") from e


def _view_options(**given: Any) -> str:
    """A materialized view statement's `` OPTIONS (k = v, ...)`` of the options given, or ""."""
    parts = []
    for key, value in given.items():
        if value is not None:
            parts.append(f"{key} = '{value}'" if isinstance(value, str) else f"{key} = {value}")
    return f" OPTIONS ({', '.join(parts)})" if parts else ""


def sql(spark: Any, statement: str) -> Any:
    """``spark.sql(statement)`` so that Ctrl-C stops it: a BACKFILL, REFRESH or LOAD COLUMNS run in
    PySpark's main thread through ``spark.sql`` goes on in the JVM after a Ctrl-C (PySpark's own
    handler cannot cancel a call in progress there); through this, the statement stops, then
    KeyboardInterrupt is raised. Returns the statement's DataFrame (a command's result is computed
    already); errors come back as :class:`LancetError`."""
    return _call_long(spark, "sql", lambda: spark.sql(statement))


def connect(spark: Any) -> "LancetDB":
    """The Lance warehouse of ``spark``'s Lancet catalog; makes its ``default`` namespace current."""
    _call(lambda: spark.sql(f"USE {CATALOG}.`default`"))
    return LancetDB(spark)


def _call(fn):
    """Runs a JVM call, turning a Java exception into a LancetError with its one-line message and code."""
    try:
        return fn()
    except Exception as e:  # py4j's Py4JJavaError, or pyspark's captured exceptions
        java = getattr(e, "java_exception", None)
        if java is not None:
            message = java.getMessage()
        else:
            message = getattr(e, "desc", None) or str(e)
        # one line; the Java error stays as __cause__
        raise LancetError(str(message).strip(), _error_code(e, java)) from e


def _call_long(spark: Any, what: str, fn):
    """Runs a long JVM call (a backfill, a load, a view's build or refresh) so that Ctrl-C stops it.

    In PySpark's pinned-thread mode a Ctrl-C during a JVM call breaks that call's py4j connection,
    and PySpark's own handler, whose cancel goes over the same connection, cancels nothing: Python
    got an error while the JVM went on computing. So the call runs in a thread of its own (with the
    caller's Spark job group and properties, and a job tag of its own) while the caller's thread
    waits; on Ctrl-C the tag's jobs are cancelled (a backfill stops within a batch, keeping what it
    committed and checkpointed), the call is waited for, and KeyboardInterrupt is raised. A second
    Ctrl-C stops waiting.
    """
    if threading.current_thread() is not threading.main_thread():
        return _call(fn)  # Ctrl-C reaches the main thread only
    from pyspark import InheritableThread

    tag = "lancet-python-" + uuid.uuid4().hex
    outcome: Dict[str, Any] = {}
    # An Event, not Thread.join: a join interrupted by Ctrl-C marks the thread stopped while it runs
    # (CPython 3.11's threading), and the next join returns at once.
    done = threading.Event()

    def run() -> None:
        try:
            # This thread's JVM thread: the caller's session active (lance-spark's path-based reads
            # and writes register their catalog in the active session), and the job tag.
            spark._jvm.org.apache.spark.sql.SparkSession.setActiveSession(spark._jsparkSession)
            spark.sparkContext.addJobTag(tag)
            outcome["value"] = _call(fn)
        except BaseException as e:  # handed to the caller's thread
            outcome["error"] = e
        finally:
            done.set()

    InheritableThread(target=run, name="lancet-" + what, daemon=True).start()
    try:
        while not done.wait(0.1):
            pass
    except KeyboardInterrupt:
        try:
            spark.sparkContext.cancelJobsWithTag(tag)
            done.wait(120)
        except KeyboardInterrupt:
            pass
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _error_code(e: Exception, java: Any) -> Optional[str]:
    """The error class of a Spark error (a Lancet statement's is its Lancet code), else the code of a
    Lancet exception from the Java API; None when there is neither (the message's ``[CODE]`` prefix,
    if any, is read by LancetError)."""
    for source in (e, java):  # pyspark's captured exception, then the Java exception itself
        get = getattr(source, "getErrorClass", None) if source is not None else None
        if callable(get):
            try:
                code = get()
            except Exception:  # py4j: not a SparkThrowable
                code = None
            if code:
                return str(code)
    if java is not None:
        try:
            return str(java.code().name())  # dev.lancet.udf.LancetException
        except Exception:  # not a Lancet exception
            return None
    return None


_SPARK_TYPES = {
    "int8": "TINYINT", "int16": "SMALLINT", "int32": "INT", "int64": "BIGINT", "float": "FLOAT",
    "halffloat": "FLOAT", "double": "DOUBLE", "string": "STRING", "large_string": "STRING", "utf8": "STRING",
    "bool": "BOOLEAN", "binary": "BINARY", "large_binary": "BINARY", "date32[day]": "DATE",
}


def _ddl(schema: Any) -> str:
    """A Spark DDL column list from a DDL string or a pyarrow schema."""
    if isinstance(schema, str):
        return schema
    columns = []
    for f in schema:
        t = str(f.type)
        if t not in _SPARK_TYPES:
            raise LancetError(f"column '{f.name}': pyarrow type {t} has no Spark type here; give a DDL string instead")
        columns.append(f"`{f.name}` {_SPARK_TYPES[t]}")
    return ", ".join(columns)


def _is_spark_dataframe(data: Any) -> bool:
    """Whether ``data`` is a Spark DataFrame (classic or Spark Connect's): it writes itself."""
    return hasattr(data, "writeTo") and hasattr(data, "schema") and hasattr(data, "columns")


def _ddl_of_spark_schema(schema: Any) -> str:
    """A Spark DDL column list of a DataFrame's StructType."""
    return ", ".join(f"`{f.name}` {f.dataType.simpleString()}" for f in schema.fields)


def _written_fields(schema: Any, given: Iterable[str]) -> List[Any]:
    """The fields an append of rows giving the columns ``given`` writes: the table's original
    columns, and the virtual ones given (a sibling column is virtual too: written without its lead,
    Spark could not find the lead's data)."""
    given = set(given)
    return [f for f in schema.fields
            if (_UDF_KEY not in f.metadata and _SIBLING_KEY not in f.metadata) or f.name in given]


def _rows(data: Any) -> List[Mapping[str, Any]]:
    if hasattr(data, "to_pylist"):  # a pyarrow Table
        return data.to_pylist()
    if hasattr(data, "to_dict"):  # a pandas DataFrame
        return data.to_dict(orient="records")
    return list(data)


class LancetDB:
    """The Lance tables of a Lancet session."""

    def __init__(self, spark: Any):
        self._spark = spark

    def create_table(self, name: str, schema: Any = None, data: Any = None, mode: str = "create") -> "Table":
        """Creates a Lance table from a DDL string or pyarrow schema, optionally with rows (a list of
        dicts, a pyarrow Table, a pandas DataFrame or a Spark DataFrame, whose schema is the table's
        when none is given).

        ``mode="overwrite"`` replaces an existing table.
        """
        if schema is None and _is_spark_dataframe(data):
            schema = _ddl_of_spark_schema(data.schema)
        if schema is None:
            raise LancetError(f"create_table('{name}'): give a schema (a DDL string or a pyarrow schema)"
                              " or a Spark DataFrame as data")
        if mode == "overwrite":
            _call(lambda: self._spark.sql(f"DROP TABLE IF EXISTS {name}"))
        _call(lambda: self._spark.sql(f"CREATE TABLE {name} ({_ddl(schema)})"))
        table = Table(self._spark, name)
        if data is not None:
            table.add(data)
        return table

    def open_table(self, name: str) -> "Table":
        """An existing Lance table."""
        table = Table(self._spark, name)
        table.virtual_columns()  # fails now, with the engine's message, if it is not a Lance table
        return table

    def table_names(self) -> List[str]:
        """The tables of the current namespace."""
        return [r.tableName for r in _call(lambda: self._spark.sql("SHOW TABLES").collect())]

    def create_materialized_view(self, name: str, query: str, if_not_exists: bool = False,
                                 on_error: Optional[str] = None,
                                 max_error_fraction: Optional[float] = None,
                                 partition_by: Optional[str] = None) -> "Table":
        """``CREATE MATERIALIZED VIEW name AS query``: the query's rows (a projection and filter of
        one Lance table, with LATERAL 1:N UDFs) stored as a Lance table, each with its source row
        (``_source_row``); :meth:`refresh_materialized_view` keeps it current. The view is a
        :class:`Table`: its own virtual columns backfill as any table's. ``on_error='skip'`` gives a
        source row whose UDF throws no derived rows (recorded, and computed again by the next
        refresh) instead of failing, up to ``max_error_fraction`` of the rows (default 0.1); the view
        keeps both for its refreshes. ``partition_by`` names the column that groups source rows
        (``PARTITION BY``): the query may then aggregate them for an N:M UDF, a refresh computes
        again exactly the groups with a new, changed or deleted row, and with ``on_error='skip'`` a
        group whose UDF throws is what is skipped and computed again."""
        exists = " IF NOT EXISTS" if if_not_exists else ""
        partition = "" if partition_by is None else " PARTITION BY (`" + partition_by.replace("`", "``") + "`)"
        options = _view_options(on_error=on_error, max_error_fraction=max_error_fraction)
        _call_long(self._spark, "create_materialized_view", lambda: self._spark.sql(
            f"CREATE MATERIALIZED VIEW{exists} {name}{partition}{options} AS {query}").collect())
        return Table(self._spark, name)

    def refresh_materialized_view(self, name: str, fragments_per_commit: Optional[int] = None,
                                  on_error: Optional[str] = None,
                                  max_error_fraction: Optional[float] = None) -> Dict[str, Any]:
        """``REFRESH MATERIALIZED VIEW``: computes only what changed in the source since the view's
        source version (new rows computed, deleted rows removed, updated rows replaced, rows that
        failed before computed again); nothing when nothing changed. Returns what it did
        (``fragments_computed``, ``rows_added``, ``rows_failed``, ...). The options override the
        view's for this refresh."""
        options = _view_options(fragments_per_commit=None if fragments_per_commit is None else int(fragments_per_commit),
                                on_error=on_error, max_error_fraction=max_error_fraction)
        rows = _call_long(self._spark, "refresh_materialized_view",
                          lambda: self._spark.sql(f"REFRESH MATERIALIZED VIEW {name}{options}").collect())
        return rows[0].asDict()

    def drop_materialized_view(self, name: str, if_exists: bool = False) -> None:
        """``DROP MATERIALIZED VIEW``: the view's table and its folder."""
        exists = " IF EXISTS" if if_exists else ""
        _call(lambda: self._spark.sql(f"DROP MATERIALIZED VIEW{exists} {name}").collect())

    def materialized_views(self) -> List[Dict[str, Any]]:
        """``SHOW MATERIALIZED VIEWS``: each view with its source, the source version it reflects,
        the source's version now, and whether it is fresh."""
        return [r.asDict() for r in _call(lambda: self._spark.sql("SHOW MATERIALIZED VIEWS").collect())]


class Table:
    """A Lance table with virtual columns."""

    def __init__(self, spark: Any, name: str):
        self._spark = spark
        self.name = name

    @property
    def _jvm(self):
        return self._spark.sparkContext._jvm

    def _java(self):
        return _call(lambda: self._jvm.dev.lancet.spark.Lancet.table(self._spark._jsparkSession, self.name))

    def add(self, data: Any) -> "Table":
        """Appends rows (a list of dicts, a pyarrow Table, a pandas DataFrame or a Spark DataFrame)
        with the table's original columns, matched by name; virtual columns read null until
        backfilled. Rows that also give virtual columns' values keep them until the next backfill
        computes those rows."""
        if _is_spark_dataframe(data):
            names = [f.name for f in _written_fields(self._spark.table(self.name).schema, data.columns)]
            missing = [n for n in names if n not in data.columns]
            if missing:
                raise LancetError(f"add to {self.name}: the DataFrame has no column {', '.join(missing)}")
            _call(lambda: data.select(*names).writeTo(self.name).append())
            return self
        rows = _rows(data)
        if rows:
            from pyspark.sql.types import StructType

            fields = _written_fields(self._spark.table(self.name).schema, set().union(*(r.keys() for r in rows)))
            schema = StructType(fields)
            df = self._spark.createDataFrame([tuple(r.get(f.name) for f in fields) for r in rows], schema)
            _call(lambda: df.writeTo(self.name).append())
        return self

    def add_columns(self, columns: Mapping[Union[str, Tuple[str, ...]], Union[str, UdfRef]], backfill: bool = False,
                    where: Optional[str] = None) -> "Table":
        """Adds virtual columns, all or none: ``{"area": "com.acme.Area", "emb": udf("com.acme.Embed", ...)}``.

        A tuple of names adds sibling columns, one per field of the record the UDF returns, computed
        by one call per row: ``{("w", "h", "fmt"): "com.acme.ImageMeta"}`` (``ADD COLUMNS (w, h, fmt)
        USING UDF``). With ``backfill=True`` they are computed right away (rows matching ``where``,
        if given).
        """
        jvm = self._jvm
        # py4j (auto_convert in PySpark's gateway) turns lists into Java lists, in the order given.
        names, udfs = [], []
        for key, ref in columns.items():
            ref = ref if isinstance(ref, UdfRef) else UdfRef(ref)
            options = {k: str(v) for k, v in ref.options.items()}
            names.append([key] if isinstance(key, str) else list(key))
            udfs.append(jvm.dev.lancet.spark.VirtualColumn(ref.class_name, list(ref.inputs), ref.type, options))
        _call(lambda: self._java().addColumnGroups(names, udfs))
        if backfill:
            self.backfill([n for group in names for n in group], where=where)
        return self

    def backfill(self, columns: Union[str, Iterable[str]], where: Optional[str] = None, limit: Optional[int] = None,
                 **options: Any) -> List[Dict[str, Any]]:
        """Computes virtual columns (rows matching the Lance filter ``where``, if given).

        With ``limit``, a pilot run: at most that many rows per column are computed and committed
        (``BACKFILL ... LIMIT n``), and the full run later does not compute them again.

        Options as BACKFILL's OPTIONS: ``batch_size``, ``commit_granularity``, ``concurrency``,
        ``task_size`` (rows a task computes at most: bigger fragments are cut into row ranges),
        ``engine`` (``'ray'``, the default, or ``'spark'`` for the session's executors), ...
        Returns one dict per column.
        """
        names = [columns] if isinstance(columns, str) else list(columns)
        java_options = {k: str(v) for k, v in options.items()}
        results = _call_long(self._spark, "backfill",
                             lambda: self._java().backfill(names, where, java_options, int(limit or 0)))
        return _results(results)

    def load_columns(self, columns: Iterable[str], source: Any, key: str, **options: Any) -> List[Dict[str, Any]]:
        """Loads ``columns`` of ``source`` (a DataFrame, or a table's name) into this table by ``key``
        (``ALTER TABLE ... LOAD COLUMNS``): rows whose key the source lacks read None; the same source
        again loads only new rows, a changed one every row. Options as :meth:`backfill`'s."""
        df = self._spark.table(source) if isinstance(source, str) else source
        java_options = {k: str(v) for k, v in options.items()}
        return _results(_call_long(self._spark, "load_columns",
                                   lambda: self._java().loadColumns(list(columns), df._jdf, key, java_options)))

    def explain(self, columns: Union[str, Iterable[str]], where: Optional[str] = None, limit: Optional[int] = None,
                **options: Any) -> List[Dict[str, Any]]:
        """What :meth:`backfill` with the same arguments would do now, computing and changing nothing
        (EXPLAIN BACKFILL): one dict per column with the rows it would compute by why (``rows_new``,
        ``rows_filtered_out``, ``rows_input_changed``, ``rows_version_changed``, ``rows_failed``), its
        fragments, tasks, engine, workers and commits, ``estimated_seconds`` (None without an earlier
        job) and ``plan``, the whole explanation as text."""
        names = [columns] if isinstance(columns, str) else list(columns)
        java_options = {k: str(v) for k, v in options.items()}
        out = []
        for e in _call(lambda: self._java().explain(names, where, java_options, int(limit or 0))):
            rows = e.rows()
            states = self._jvm.dev.lancet.backfill.RowState
            out.append({
                "column": e.column(), "rows_to_compute": e.rowsToCompute(),
                "rows_new": rows.rows(states.NEW), "rows_filtered_out": rows.rows(states.FILTERED_OUT),
                "rows_input_changed": rows.rows(states.INPUT_CHANGED),
                "rows_version_changed": rows.rows(states.VERSION_CHANGED), "rows_failed": rows.rows(states.FAILED),
                "fragments": e.fragments(), "tasks": e.tasks(), "engine": e.engine(), "workers": e.workers(),
                "commits": e.commits(), "table_version": e.tableVersion(), "estimated_seconds": e.estimatedSeconds(),
                "plan": e.describe()})
        return out

    def virtual_columns(self) -> Dict[str, Dict[str, Any]]:
        """Each virtual column's definition; a sibling column's has the group's UDF and its ``siblings``."""
        specs = _call(lambda: self._java().virtualColumns())
        groups = _call(lambda: self._java().siblingColumns())
        schema = self.to_df().schema
        out = {}
        for name in specs.keySet():
            s = specs.get(name)
            group = list(groups.get(name)) if groups.containsKey(name) else [name]
            for column in group:
                out[column] = {"class": s.className(), "kind": s.kind().name().lower(), "inputs": list(s.inputs()),
                               "type": schema[column].dataType.simpleString() if len(group) > 1 else s.outputType(),
                               "options": dict(s.options()), "version": s.version(),
                               "siblings": group if len(group) > 1 else None}
        return out

    def jobs(self) -> List[Dict[str, Any]]:
        """The table's backfill jobs, oldest first."""
        return [{"job_id": j.jobId(), "column": j.column(), "filter": j.filter(), "status": j.status().label(),
                 "rows_computed": j.rowsComputed(), "rows_skipped": j.rowsSkipped(), "rows_failed": j.rowsFailed(),
                 "rows_per_second": j.rowsPerSecond(), "limit": j.limit() or None,
                 "peak_task_memory_bytes": j.peakTaskMemoryBytes() or None, "code": list(j.code())}
                for j in _call(lambda: self._java().jobs())]

    def errors(self, job_id: Optional[str] = None) -> List[Dict[str, Any]]:
        """The rows whose UDF call failed (of one job, or of all), as SHOW BACKFILL ERRORS shows them."""
        sql = f"SHOW BACKFILL ERRORS IN {self.name}" + (f" FOR JOB '{job_id}'" if job_id else "")
        return [r.asDict() for r in _call(lambda: self._spark.sql(sql).collect())]

    def to_df(self):
        """The table as a Spark DataFrame."""
        return self._spark.table(self.name)
