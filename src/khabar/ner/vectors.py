"""Word vectors for the BiLSTM-CRF (training time only; needs gensim from the ``train`` extra).

Skip-gram with negative sampling (word2vec, gensim) over the folded words of SaudiNewsNet
(``../shared/corpora/saudinewsnet/articles.jsonl.gz``, CC BY-NC-SA 4.0, research use), tokenised
like the cluster step (:func:`khabar.ner.clusters.corpus_sentences`: clitics stay attached, as in
ANERcorp). On the dev split of ANERcorp these vectors lifted the BiLSTM-CRF from 0.685 (PPMI +
SVD vectors of the cluster step) to 0.750 micro F1, which is why they replaced them.

Output: ``.npz`` with ``vectors`` (float16, unit rows) and ``vocab`` (newline-joined UTF-8 bytes)
of the ``VOCAB`` most frequent words, the format :func:`khabar.ner.train_neural.load_vectors` reads.
"""
from __future__ import annotations

import zlib
from pathlib import Path

from khabar.errors import ModelError

DIM = 100
WINDOW = 5
EPOCHS = 5
NEGATIVE = 10
MIN_COUNT = 3
VOCAB = 100_000
SAMPLE = 1e-4


def _stable_hash(s: str) -> int:
    # gensim seeds each word's initial vector with hash(word + seed); Python's str hash changes
    # from one process to the next, so a fixed hash makes one-worker runs reproducible
    return zlib.crc32(s.encode("utf-8"))


def build(corpus: Path, out: Path, limit: int | None = None, seed: int = 13, workers: int = 1,
          epochs: int = EPOCHS) -> Path:
    try:
        from gensim.models import Word2Vec
    except ImportError:
        raise ModelError("training the word vectors needs gensim",
                         "install the training extra: pip install -e '.[train]'") from None
    import numpy as np

    from khabar.ner.clusters import corpus_sentences

    sents = corpus_sentences(corpus, limit)
    model = Word2Vec(sents, vector_size=DIM, window=WINDOW, min_count=MIN_COUNT if limit is None else 1,
                     sg=1, negative=NEGATIVE, sample=SAMPLE, epochs=epochs, workers=workers, seed=seed,
                     hashfxn=_stable_hash)
    words = model.wv.index_to_key[:VOCAB]
    vec = model.wv.vectors[:len(words)].astype(np.float32)
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, vectors=vec.astype(np.float16),
             vocab=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8))
    return out
