"""The Python anchors of the backfill benchmark: pylance's add_columns and Geneva's backfill.

Speaks the same line protocol as the Java contenders (dev.lancet.benchmarks.backfill.ContenderServer):
commands on stdin, one answer line starting with "@@" on stdout; all other output goes to stderr.
Usage: anchors.py <pylance-add-columns|geneva> <tables dir> <cores>
"""

import os
import sys
import time
import traceback

# Keep the protocol on its own descriptor; everything else (Ray's processes included) writes to stderr.
_protocol = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)
sys.stdout = sys.stderr

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import lance  # noqa: E402

DIM = 256
TEXT_BYTES = 32
BATCH = 8192
_PRIME = np.uint32(16777619)
# The same seeds and arithmetic as dev.lancet.benchmarks.HeavyHash.
_SEEDS = (np.uint64(0x811C9DC5) ^ ((np.arange(DIM, dtype=np.uint64) * np.uint64(0x9E3779B1)) & np.uint64(0xFFFFFFFF))).astype(np.uint32)
EMBEDDING_TYPE = pa.list_(pa.float32(), DIM)
VECTOR_DIM = 1536
VECTOR_TYPE = pa.list_(pa.float32(), VECTOR_DIM)
# The computed column of each workload (as in dev.lancet.benchmarks.backfill.Workload).
COLUMNS = {"heavy": "embedding", "big-fragment": "embedding", "embedding": "vec", "embedding-filtered": "vec", "io-bound": "size"}
FILTERS = {"embedding-filtered": "x < 5"}


def area_array(x: pa.Array, y: pa.Array) -> pa.Array:
    return pc.multiply(x.cast(pa.int64()), y.cast(pa.int64()))


def embedding_array(text: pa.Array) -> pa.Array:
    """256 floats per text, vectorized over the rows with numpy (every text has 32 bytes)."""
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    n = len(text)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32)[text.offset:text.offset + n + 1]
    if n and np.any(np.diff(offsets) != TEXT_BYTES):
        raise ValueError("every text of the heavy table has %d bytes" % TEXT_BYTES)
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]].reshape(n, TEXT_BYTES)
    h = np.broadcast_to(_SEEDS, (n, DIM)).copy()
    for j in range(TEXT_BYTES):
        h ^= data[:, j:j + 1].astype(np.uint32)
        h *= _PRIME
    out = (h >> np.uint32(8)).astype(np.float32) * np.float32(1.0 / 16777216.0) - np.float32(0.5)
    return pa.FixedSizeListArray.from_arrays(pa.array(out.ravel(), type=pa.float32()), DIM)


def vector_array(ids: pa.Array) -> pa.Array:
    """1536 floats per id, as dev.lancet.benchmarks.BenchUdfs.component computes them."""
    i = np.asarray(ids.to_numpy(zero_copy_only=False), dtype=np.int64)
    j = np.arange(VECTOR_DIM, dtype=np.int64)
    v = ((i[:, None] * 7 + j[None, :] * 13) & 1023).astype(np.float32) / np.float32(1024)
    return pa.FixedSizeListArray.from_arrays(pa.array(v.ravel(), type=pa.float32()), VECTOR_DIM)


def slow_size(filename: str) -> int:
    """The io-bound workload's value, after a 20 ms wait (a request to a file store)."""
    time.sleep(0.02)
    return 64 * len(filename)


class PylanceAddColumns:
    """lance.LanceDataset.add_columns with a batch UDF: reads the inputs, writes the new column's files."""

    def supports(self, workload):
        # add_columns adds a new column: it cannot fill new rows of one, and it computes every row (no filter)
        return workload not in ("incremental", "rerun", "embedding-filtered")

    def prepare(self, workload, uri):
        pass

    def run(self, workload, uri):
        ds = lance.dataset(uri)
        if workload == "embedding":
            schema = pa.schema([pa.field("vec", VECTOR_TYPE)])

            @lance.batch_udf(output_schema=schema)
            def udf(batch):
                return pa.RecordBatch.from_arrays([vector_array(batch.column("id"))], schema=schema)

            ds.add_columns(udf, read_columns=["id"], batch_size=BATCH)
        elif workload == "io-bound":
            schema = pa.schema([pa.field("size", pa.int64())])

            @lance.batch_udf(output_schema=schema)
            def udf(batch):
                sizes = [slow_size(name) for name in batch.column("filename").to_pylist()]
                return pa.RecordBatch.from_arrays([pa.array(sizes, type=pa.int64())], schema=schema)

            ds.add_columns(udf, read_columns=["filename"], batch_size=BATCH)
        elif workload in ("heavy", "big-fragment"):
            schema = pa.schema([pa.field("embedding", EMBEDDING_TYPE)])

            @lance.batch_udf(output_schema=schema)
            def udf(batch):
                return pa.RecordBatch.from_arrays([embedding_array(batch.column("text"))], schema=schema)

            ds.add_columns(udf, read_columns=["text"], batch_size=BATCH)
        else:
            schema = pa.schema([pa.field("area", pa.int64())])

            @lance.batch_udf(output_schema=schema)
            def udf(batch):
                return pa.RecordBatch.from_arrays([area_array(batch.column("x"), batch.column("y"))], schema=schema)

            ds.add_columns(udf, read_columns=["x", "y"], batch_size=BATCH)
        return uri


class Geneva:
    """LanceDB's Geneva: add_columns with a batched UDF, then backfill on a local Ray."""

    def __init__(self, cores):
        import geneva
        self.geneva = geneva
        self.cores = cores

    def supports(self, workload):
        return workload not in ("incremental", "rerun")  # its table would need Geneva's own column registration

    @staticmethod
    def _split(uri):
        root, name = os.path.split(uri.rstrip("/"))
        return root, name[:-len(".lance")]

    def _udf(self, workload):
        from geneva import udf
        if workload in ("embedding", "embedding-filtered"):
            @udf(data_type=VECTOR_TYPE)
            def vec(id: pa.Array) -> pa.Array:  # noqa: A002 - the input column's name
                return vector_array(id)
            return "vec", vec
        if workload == "io-bound":
            @udf(data_type=pa.int64())
            def size(filename: str) -> int:
                return slow_size(filename)
            return "size", size
        if workload in ("heavy", "big-fragment"):
            @udf(data_type=EMBEDDING_TYPE)
            def embedding(text: pa.Array) -> pa.Array:
                return embedding_array(text)
            return "embedding", embedding

        @udf(data_type=pa.int64())
        def area(x: pa.Array, y: pa.Array) -> pa.Array:
            return area_array(x, y)
        return "area", area

    def prepare(self, workload, uri):
        root, name = self._split(uri)
        column, fn = self._udf(workload)
        self.geneva.connect(root).open_table(name).add_columns({column: fn})

    def run(self, workload, uri):
        root, name = self._split(uri)
        column = COLUMNS.get(workload, "area")
        table = self.geneva.connect(root).open_table(name)
        if workload in FILTERS:
            table.backfill(column, where=FILTERS[workload], concurrency=self.cores)
        else:
            table.backfill(column, concurrency=self.cores)
        return uri


def main():
    name, _tables, cores = sys.argv[1], sys.argv[2], int(sys.argv[3])
    contender = {"pylance-add-columns": lambda: PylanceAddColumns(), "geneva": lambda: Geneva(cores)}[name]()
    _protocol.write("@@ready\n")
    for line in sys.stdin:
        cmd = line.rstrip("\n").split("\t")
        if cmd[0] == "quit":
            break
        try:
            if cmd[0] == "supports":
                _protocol.write("@@ok\t%s\n" % str(contender.supports(cmd[1])).lower())
            elif cmd[0] == "prepare":
                contender.prepare(cmd[1], cmd[2])
                _protocol.write("@@ok\n")
            else:
                start = time.perf_counter()
                result = contender.run(cmd[1], cmd[2])
                _protocol.write("@@ok\t%.6f\t%s\n" % (time.perf_counter() - start, result))
        except Exception as e:  # reported to the driver, which records the contender as failed
            traceback.print_exc()
            _protocol.write("@@error\t%s\n" % (repr(e).replace("\n", " ").replace("\t", " ")[:2000]))
    if name == "geneva":
        import ray
        if ray.is_initialized():
            ray.shutdown()


if __name__ == "__main__":
    main()
