"""Unsupervised word clusters for the NER features (training time only; needs numpy).

Distributional recipe, chosen because it runs in minutes on one core (Brown clustering of a
10M-token corpus in pure Python would not): folded word → counts of its left and right
neighbours among the most frequent words → PPMI → randomized SVD (``DIM`` dimensions) →
spherical k-means at several granularities (``KS``), used like Brown-cluster prefixes.

Input: SaudiNewsNet (``../shared/corpora/saudinewsnet/articles.jsonl.gz``, CC BY-NC-SA 4.0,
research use). Output: ``ner_clusters.tsv`` (word, one cluster id per granularity), shipped as a derived
resource with credit in the model card.
"""
from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

from khabar.text.normalize import fold

VOCAB = 60_000
CONTEXTS = 1_000
WINDOW = 2
DIM = 150
KS = (32, 256, 1024)
MIN_COUNT = 5
_WORD = re.compile(r"[\u0621-\u064a]+|\d+")


def corpus_sentences(path: Path, limit: int | None = None) -> list[list[str]]:
    out: list[list[str]] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                break
            text = fold(json.loads(line).get("text") or "")
            for para in text.split("\n"):
                ws = _WORD.findall(para)
                if ws:
                    out.append(["0" if w.isdigit() else w for w in ws])
    return out


def build(corpus: Path, out: Path, limit: int | None = None, seed: int = 13,
          vectors_out: Path | None = None) -> Path:
    """Write the cluster file ``out``; with ``vectors_out`` also the word vectors (``.npz`` with
    ``vectors`` float16 and ``vocab`` as newline-joined UTF-8 bytes) for the neural tagger."""
    import numpy as np

    sents = corpus_sentences(corpus, limit)
    counts = Counter(w for s in sents for w in s)
    vocab = [w for w, c in counts.most_common(VOCAB) if c >= MIN_COUNT]
    wid = {w: i for i, w in enumerate(vocab)}
    nctx = min(CONTEXTS, len(vocab))
    # id stream with -1 for out-of-vocabulary words and sentence boundaries
    ids = np.fromiter((wid.get(w, -1) for s in sents for w in s + ["\x00"]), dtype=np.int64)
    mats = []
    for d in range(1, WINDOW + 1):  # one block of columns per relative position -d..+d
        for a, b in ((ids[d:], ids[:-d]), (ids[:-d], ids[d:])):
            keep = (a >= 0) & (b >= 0) & (b < nctx)
            m = np.bincount(a[keep] * nctx + b[keep], minlength=len(vocab) * nctx)
            mats.append(m.reshape(len(vocab), nctx).astype(np.float32))
    m = np.hstack(mats)
    total = m.sum()
    row = m.sum(1, keepdims=True) + 1e-9
    col = m.sum(0, keepdims=True) ** 0.75  # context distribution smoothing (Levy et al. 2015)
    col = col / col.sum() * total
    with np.errstate(divide="ignore"):
        pmi = np.log(m * total / (row * col) + 1e-12)
    ppmi = np.maximum(pmi, 0).astype(np.float32)
    del m, pmi
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(ppmi @ rng.standard_normal((ppmi.shape[1], DIM + 20)).astype(np.float32))
    u_small, s, _ = np.linalg.svd(q.T @ ppmi, full_matrices=False)
    vec = (q @ u_small[:, :DIM]) * np.sqrt(s[:DIM])
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    if vectors_out is not None:
        np.savez(vectors_out, vectors=vec.astype(np.float16),
                 vocab=np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8))
    cols = [_kmeans(vec, min(k, len(vocab)), rng) for k in KS]
    lines = ["\t".join([w] + [str(c[i]) for c in cols]) for i, w in enumerate(vocab)]
    out.write_text(f"# folded word, then its cluster id for k = {KS} (khabar.ner.clusters, from SaudiNewsNet"
                   " CC BY-NC-SA 4.0)\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return out


def _kmeans(x, k: int, rng, iters: int = 15):  # type: ignore[no-untyped-def]
    import numpy as np

    cent = x[rng.choice(len(x), k, replace=False)].copy()
    assign = np.zeros(len(x), dtype=np.int64)
    for _ in range(iters):
        assign = np.concatenate([(x[i:i + 8192] @ cent.T).argmax(1) for i in range(0, len(x), 8192)])
        for j in range(k):
            members = x[assign == j]
            if len(members):
                c = members.sum(0)
                cent[j] = c / (np.linalg.norm(c) + 1e-9)
    return assign.tolist()
