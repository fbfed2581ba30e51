"""The example notebook run the two documented ways: the run line `python -m lancet.notebook`, and the
.ipynb executed by Jupyter's own nbclient on the "Python (Lancet)" kernel, whose `spark` is a Lancet session."""

import json
import os
import subprocess
import sys
import tempfile

from lancet import notebook

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SOURCE = os.path.join(ROOT, "examples", "notebooks", "feature_engineering.py")
IPYNB = os.path.join(ROOT, "examples", "notebooks", "feature_engineering.ipynb")


def _jars():
    jars = os.environ.get("LANCET_JARS")
    if not jars:
        raise RuntimeError("LANCET_JARS is not set: run these tests through bin/test")
    bundle, *udfs = [os.path.abspath(j) for j in jars.split(":")]
    return bundle, udfs


def test_the_shipped_ipynb_is_the_notebook_source_converted():
    with open(SOURCE, encoding="utf-8") as f:
        expected = notebook.to_ipynb(f.read())
    with open(IPYNB, encoding="utf-8") as f:
        assert json.load(f) == expected, "regenerate: python -m lancet.notebook <source> --to-ipynb <ipynb>"


def test_the_documented_run_line_runs_the_notebook():
    bundle, udfs = _jars()
    with tempfile.TemporaryDirectory(prefix="lancet-nb-run-") as tmp:
        env = dict(os.environ, LANCET_JAVA_OPTS="-Dray.run-mode=LOCAL")
        done = subprocess.run(
            [sys.executable, "-m", "lancet.notebook", SOURCE, "--bundle", bundle, "--jars", ",".join(udfs),
             "--warehouse", os.path.join(tmp, "wh")],
            cwd=tmp, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "'cat.mp4': {'area': 2073600, 'filename_len': 7, 'dims': 16}" in done.stdout, done.stdout[-3000:]
        assert os.path.isdir(os.path.join(tmp, "wh"))


def test_the_ipynb_runs_on_the_lancet_kernel_under_nbclient():
    import nbformat  # installed by bin/test (bin/lib/python-env.sh)
    from nbclient import NotebookClient

    bundle, udfs = _jars()
    with tempfile.TemporaryDirectory(prefix="lancet-nb-kernel-") as tmp:
        old = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "LANCET_JAVA_OPTS")}
        os.environ["LANCET_JAVA_OPTS"] = "-Dray.run-mode=LOCAL"
        kernel_dir = notebook.install_kernel(bundle, udfs, os.path.join(tmp, "wh"), prefix=tmp)
        os.environ["JUPYTER_PATH"] = os.path.join(tmp, "share", "jupyter")
        try:
            assert os.path.basename(kernel_dir) == notebook.KERNEL_NAME
            nb = nbformat.read(IPYNB, as_version=4)
            NotebookClient(nb, timeout=600, kernel_name=notebook.KERNEL_NAME, resources={"metadata": {"path": tmp}}).execute()
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
        assert "'cat.mp4': {'area': 2073600, 'filename_len': 7, 'dims': 16}" in printed, printed[-3000:]
        assert "dev.lancet.examples.HashEmbedding" in printed, printed[-3000:]  # the SQL cell SHOW VIRTUAL COLUMNS ran
        assert os.path.isdir(os.path.join(tmp, "wh"))
