#!/usr/bin/env python3
"""Where the pipeline spends its time: pyinstrument over the first N SaudiNewsNet articles.

    nice -n 10 .venv/bin/python bench/profile_pipeline.py --limit 1000 > profile.txt
    nice -n 10 .venv/bin/python bench/profile_pipeline.py --stages     # seconds per stage only

Runs in-process (one core), after a warm-up that loads lexicons and models, so the
profile shows the per-article work and not start-up. Needs the dev extra (pyinstrument).
"""
from __future__ import annotations

import argparse
import gzip
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from khabar.io.readers import Item, read_jsonl_lines

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "saudinewsnet" / "articles.jsonl.gz"


def articles(corpus: Path, limit: int) -> Iterator[Item]:
    with gzip.open(corpus, "rb") as fh:
        for i, it in enumerate(read_jsonl_lines(fh, str(corpus))):
            if i >= limit:
                return
            yield it


def stage_times(items: list[Item]) -> None:
    from khabar.document import Document
    from khabar.io.readers import Article
    from khabar.pipeline import default_pipeline

    pipe = default_pipeline()
    spent: dict[str, float] = defaultdict(float)
    words = 0
    for it in items:
        if not isinstance(it, Article):
            continue
        words += len(it.text.split())
        doc = Document(id=it.id, text=it.text, meta=dict(it.meta))
        for st in pipe.stages:
            t = time.perf_counter()
            st.func(doc)
            spent[st.name] += time.perf_counter() - t
        t = time.perf_counter()
        doc.to_dict()
        spent["to_dict"] += time.perf_counter() - t
    total = sum(spent.values())
    print(f"{words:,} words, {total:.1f}s in stages ({words / total:,.0f} words/s on one core)")
    for name, s in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"{name:10s} {s:8.2f}s {100 * s / total:5.1f}%")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--stages", action="store_true", help="only the seconds spent in each stage")
    args = ap.parse_args()
    if not args.corpus.exists():
        raise SystemExit(f"{args.corpus} is absent (it is in ../shared on developer machines)")
    from khabar.io.readers import Article
    from khabar.scale.runner import process_item, warm_up

    items = list(articles(args.corpus, args.limit))
    warm_up()
    if args.stages:
        stage_times(items)
        return
    from pyinstrument import Profiler

    prof = Profiler(interval=0.001)
    prof.start()
    for it in items:
        if isinstance(it, Article):
            process_item(it.to_record())
    prof.stop()
    print(prof.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
