"""The cheap path's parts through pylance (issue 23, item 4): NarrowPathCost's Python twin.

Over a table of (x int, y int) fragments, on one thread, fragment after fragment: the time to scan
the inputs, to scan and compute x * y with pyarrow, and to do that and write the column file with
lance.file.LanceFileWriter, by batch size; then add_columns on a copy of the table. Best of 3.
"""

import os
import shutil
import sys
import tempfile
import time
import uuid

import lance
import pyarrow as pa
import pyarrow.compute as pc
from lance.file import LanceFileWriter


def part(ds, name, batch, out):
    for frag in ds.get_fragments():
        writer = None
        if name == "write":
            writer = LanceFileWriter(os.path.join(out, f"{uuid.uuid4()}.lance"), version=ds.data_storage_version)
        for b in frag.to_batches(columns=["x", "y"], batch_size=batch):
            if name == "scan":
                continue
            area = pc.multiply(b.column("x").cast(pa.int64()), b.column("y").cast(pa.int64()))
            if writer:
                writer.write_batch(pa.record_batch([area], names=["area"]))
        if writer:
            writer.close()


def best(fn):
    times = []
    for _ in range(4):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times[1:])  # the first round warms up


def main():
    uri = sys.argv[1]
    ds = lance.dataset(uri)
    out = tempfile.mkdtemp(prefix="lancet-narrow-path-")
    try:
        print(f"{uri}: {len(ds.get_fragments())} fragments, {ds.count_rows():,} rows; pylance {lance.__version__}, one thread, best of 3")
        print("part                   batch 8192  batch 65536  batch 1048576")
        for name, label in (("scan", "scan"), ("compute", "+ x*y (pyarrow)"), ("write", "+ write")):
            times = [best(lambda b=b: part(ds, name, b, out)) for b in (8192, 65536, 1 << 20)]
            print(f"{label:20}" + "".join(f"  {t:9.3f} s" for t in times))
            for f in os.listdir(out):
                os.remove(os.path.join(out, f))

        def add_columns():
            copy = os.path.join(out, "copy.lance")
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(uri, copy)
            schema = pa.schema([pa.field("area", pa.int64())])

            @lance.batch_udf(output_schema=schema)
            def udf(b):
                area = pc.multiply(b.column("x").cast(pa.int64()), b.column("y").cast(pa.int64()))
                return pa.RecordBatch.from_arrays([area], schema=schema)

            t0 = time.perf_counter()
            lance.dataset(copy).add_columns(udf, read_columns=["x", "y"], batch_size=8192)
            return time.perf_counter() - t0

        runs = [add_columns() for _ in range(4)]
        print(f"add_columns (batch 8192, whole job)  {min(runs[1:]):.3f} s")
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
