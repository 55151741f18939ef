"""Benchmark the knowledge base: ingest rate (articles/s) and search latency (p50/p95).

    nice -n 10 .venv/bin/python bench/bench_store.py                 # full SaudiNewsNet (31,030 articles)
    nice -n 10 .venv/bin/python bench/bench_store.py --limit 2000    # a quick run
    .venv/bin/python bench/bench_store.py --db kb.db --search-only   # only the search part, on a stored corpus

Ingest goes through the same path as ``khabar ingest`` (reader → already-stored filter →
khabar.scale.runner.run → Writer), so its rate includes the analysis; the time spent in the
store alone is reported too. Search latency is measured on a read-only connection, for
queries sampled (seeded) from the stored titles: single words, two words (AND) and two-word
phrases, each returning a page of 20 hits with snippets and raw offsets — what
``/api/search`` does. The goal is p95 < 50 ms.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "saudinewsnet" / "articles.jsonl.gz"


def ingest(corpus: Path, db: Path, limit: int | None, workers: int) -> dict[str, float]:
    from khabar.io.readers import iter_articles
    from khabar.scale.runner import run
    from khabar.store.ingest import Writer, unseen

    t0 = time.perf_counter()
    store_s = 0.0
    n = bad = 0
    with Writer(db, batch_size=500) as w:
        items = islice(iter_articles([str(corpus)]), limit) if limit else iter_articles([str(corpus)])
        for oc in run(unseen(items, w, lambda a: None), workers=workers):
            n += 1
            if oc.result is None:
                bad += 1
                continue
            t = time.perf_counter()
            w.add(oc.result)
            store_s += time.perf_counter() - t
            if n % 1000 == 0:
                el = time.perf_counter() - t0
                print(f"  {n} articles, {n / el:.1f} art/s", file=sys.stderr, flush=True)
        t = time.perf_counter()
    store_s += time.perf_counter() - t  # the final commit
    total = time.perf_counter() - t0
    st = w.stats
    return {"articles_seen": n, "stored": st.stored, "already_stored": st.known, "skipped": bad,
            "seconds": round(total, 1), "articles_per_s": round(n / total, 1),
            "store_seconds": round(store_s, 1), "store_articles_per_s": round(st.stored / store_s, 1) if store_s else 0}


def sample_queries(conn: object, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    titles = [r[0] for r in conn.execute("SELECT title FROM articles WHERE title IS NOT NULL")]  # type: ignore[attr-defined]
    if not titles:
        titles = [r[0][:200] for r in conn.execute("SELECT text FROM articles")]  # type: ignore[attr-defined]
    words_of = [re.findall(r"[\u0621-\u064a]{3,}", t) for t in titles]
    words_of = [w for w in words_of if len(w) >= 2]
    out: list[str] = []
    while len(out) < n and words_of:
        ws = rng.choice(words_of)
        kind = len(out) % 3
        i = rng.randrange(len(ws) - 1)
        if kind == 0:
            out.append(ws[i])
        elif kind == 1:
            out.append(f"{ws[i]} {rng.choice(ws)}")
        else:
            out.append(f'"{ws[i]} {ws[i + 1]}"')
    return out


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def search_bench(db: Path, n: int, seed: int) -> dict[str, object]:
    from khabar.store import queries as Q
    from khabar.store.db import open_reader

    conn = open_reader(db, time_limit=5.0)
    queries = sample_queries(conn, n, seed)
    Q.search(conn, queries[0])  # warm the page cache once
    lat, hits = [], []
    for q in queries:
        t = time.perf_counter()
        res = Q.search(conn, q, limit=20)
        lat.append((time.perf_counter() - t) * 1000)
        hits.append(res["total"])
    speakers = [r[0] for r in conn.execute(
        "SELECT speaker_name FROM quotes WHERE speaker_name IS NOT NULL GROUP BY speaker_folded ORDER BY count(*) DESC LIMIT 50")]
    qlat = []
    for s in speakers:
        t = time.perf_counter()
        Q.quotes(conn, speaker=s, limit=20)
        qlat.append((time.perf_counter() - t) * 1000)
    out: dict[str, object] = {
        "queries": len(lat), "search_ms_p50": round(pct(lat, 50), 2), "search_ms_p95": round(pct(lat, 95), 2),
        "search_ms_max": round(max(lat), 2), "median_total_hits": statistics.median(hits),
        "examples": queries[:6],
    }
    if qlat:
        out.update(speaker_queries=len(qlat), quotes_ms_p50=round(pct(qlat, 50), 2), quotes_ms_p95=round(pct(qlat, 95), 2))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="ingest only the first N articles")
    ap.add_argument("--db", type=Path, default=None, help="database file (default: a fresh temporary one)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--search-only", action="store_true", help="skip the ingest; measure search on --db")
    args = ap.parse_args()

    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="khabar-bench-")
        args.db = Path(tmp.name) / "bench.db"
    report: dict[str, object] = {"corpus": str(args.corpus), "limit": args.limit, "workers": args.workers}
    if not args.search_only:
        if not args.corpus.exists():
            sys.exit(f"no corpus at {args.corpus} (pass --corpus)")
        report["ingest"] = ingest(args.corpus, args.db, args.limit, args.workers)
        print(f"ingest: {report['ingest']}", file=sys.stderr)
    report["db_mb"] = round(args.db.stat().st_size / 1e6, 1)
    report["search"] = search_bench(args.db, args.queries, args.seed)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
