"""NER throughput on one core and peak memory of a loaded model.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/bench_ner.py [CONLL_FILE] [--sentences N]

Tags the sentences of CONLL_FILE (default: the ANERcorp CAMeL train file under ../shared, else
the small test fixture) with the shipped model, in article-sized batches of 25 sentences, twice:
a cold pass (empty per-word caches) and a warm one. Reports tokens per CPU-second of this process
(``time.process_time``: fair on a shared machine; BLAS is pinned to one thread) and per wall
second, and the peak RSS (``ru_maxrss``) after loading and tagging.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: before numpy is imported
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "ner" / "anercorp" / "ANERCorp_CamelLab_train.rebuilt.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "ner_tiny.conll"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("conll", nargs="?", type=Path, default=DEFAULT if DEFAULT.exists() else FIXTURE)
    ap.add_argument("--sentences", type=int, default=2000)
    args = ap.parse_args()

    from khabar.ner.conll import read_conll
    from khabar.ner.tagger import load_tagger, model_path, model_paths

    sents = [t for t, _ in read_conll(args.conll, args.sentences)]
    n_tok = sum(len(s) for s in sents)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    tagger = load_tagger()
    if tagger is None:
        raise SystemExit(f"no NER model at {model_path()}")
    tagger.tag(["تجربة"])
    load_s = time.perf_counter() - t0
    print(f"models {[p.name for p in model_paths()]}, loaded in {load_s:.2f}s; {len(sents)} sentences, {n_tok} tokens")
    for label in ("cold", "warm"):
        c0, w0 = time.process_time(), time.perf_counter()
        for i in range(0, len(sents), 25):
            tagger.tag_many(sents[i:i + 25])
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        print(f"{label}: {n_tok / cpu:,.0f} tokens/CPU-s, {n_tok / wall:,.0f} tokens/wall-s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MB (interpreter + inputs before loading: {rss0:.0f} MB)")


if __name__ == "__main__":
    main()
