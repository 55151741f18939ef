#!/usr/bin/env python3
"""Throughput, scaling and peak memory of ``khabar extract`` (and ``khabar ingest``).

Runs the real command line in a child process, exactly as users do, over the
SaudiNewsNet corpus (31,030 articles, 8.8M whitespace words; see
../shared/corpora/saudinewsnet/SOURCE.md, CC BY-NC-SA 4.0, research use), and reports
for each configuration:

* wall time, articles/s and words/s (words = Python ``str.split()`` tokens of the
  articles' text, the unit SOURCE.md counts);
* CPU seconds of the whole process tree and words per CPU-second: on a busy machine
  wall-clock rates drop, CPU time much less, so this is the fairer "one core" figure;
* peak RSS: the peak of the *sum* of the resident memory of the child process tree
  (the parent plus its pool workers), sampled every 50 ms with psutil, and the
  kernel's ru_maxrss of the largest single child process.

Usage::

    nice -n 10 .venv/bin/python bench/bench_extract.py --limit 1000          # quick
    nice -n 10 .venv/bin/python bench/bench_extract.py                        # full 31k corpus
    nice -n 10 .venv/bin/python bench/bench_extract.py --limit 1000 --runs extract-1,extract-2
    nice -n 10 .venv/bin/python bench/bench_extract.py --memory-flatness      # peak RSS 1k vs all

The machine's load average is printed with the results: on a shared machine the
timings are only comparable between runs made under similar load.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "saudinewsnet" / "articles.jsonl.gz"
RUNS = ("extract-1", "extract-2", "ingest-1", "ingest-2")


@dataclass
class Result:
    run: str
    articles: int
    words: int
    seconds: float
    articles_per_s: float
    words_per_s: float
    cpu_s: float  # CPU seconds of the whole process tree (sampled): robust to a busy machine
    words_per_cpu_s: float
    peak_rss_tree_mb: float
    max_child_rss_mb: float
    exit_status: int
    note: str = ""


def khabar_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("khabar")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "khabar.cli.main"]


def prepare_input(corpus: Path, limit: int | None, workdir: Path) -> tuple[Path, int, int]:
    """The first ``limit`` articles as plain JSONL (so that gzip is not what we measure),
    with their count and word count."""
    out = workdir / f"input-{limit or 'all'}.jsonl"
    n = words = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for line in src:
            if limit is not None and n >= limit:
                break
            obj = json.loads(line)
            text = obj.get("text")
            if isinstance(text, str) and text.strip():
                words += len(text.split())
            dst.write(line)
            n += 1
    return out, n, words


def _sample_tree(pid: int, cpu: dict[int, float]) -> int:
    """Sum of RSS over the process tree now; records each process's CPU seconds in ``cpu``."""
    import psutil

    try:
        p = psutil.Process(pid)
        procs = [p, *p.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for q in procs:
        try:
            with q.oneshot():
                total += q.memory_info().rss
                t = q.cpu_times()
                cpu[q.pid] = t.user + t.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def measure(name: str, cmd: list[str], articles: int, words: int, cwd: Path) -> Result:
    peak = 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    stop = threading.Event()

    cpu: dict[int, float] = {}

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _sample_tree(proc.pid, cpu))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    dt = time.perf_counter() - t0
    stop.set()
    sampler.join()
    # ru_maxrss (KiB on Linux) is the largest single descendant seen so far, not a sum;
    # it only tells something new when this run's child is the largest yet.
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    note = "" if maxrss > before else "ru_maxrss not above an earlier run's"
    if proc.returncode not in (0, 1):
        note = err.decode(errors="replace").strip().splitlines()[-1:][0] if err else "failed"
    cpu_s = sum(cpu.values())
    if proc.returncode not in (0, 1):  # killed or crashed: its rates would be fiction
        return Result(name, articles, words, round(dt, 2), 0, 0, round(cpu_s, 1), 0,
                      round(peak / 2**20, 1), round(maxrss / 1024, 1), proc.returncode, note)
    return Result(name, articles, words, round(dt, 2), round(articles / dt, 1), round(words / dt),
                  round(cpu_s, 1), round(words / cpu_s) if cpu_s else 0,
                  round(peak / 2**20, 1), round(maxrss / 1024, 1), proc.returncode, note)


def ingest_available() -> bool:
    r = subprocess.run([*khabar_cmd(), "ingest", "--help"], capture_output=True)
    return r.returncode == 0


def command(run: str, inp: Path, workdir: Path) -> list[str] | None:
    kind, workers = run.split("-")
    if kind == "extract":
        return [*khabar_cmd(), "extract", str(inp), "--quiet", "--workers", workers]
    if kind == "ingest":
        if not ingest_available():
            return None  # hook: measured as soon as `khabar ingest` exists
        db = workdir / f"bench-{run}.db"
        for f in workdir.glob(f"bench-{run}.db*"):
            f.unlink()
        return [*khabar_cmd(), "ingest", str(inp), "--quiet", "--workers", workers, "--db", str(db)]
    raise SystemExit(f"unknown run {run!r}; choose from {', '.join(RUNS)}")


def load() -> str:
    la = os.getloadavg()
    return f"load average {la[0]:.2f} {la[1]:.2f} {la[2]:.2f} on {os.cpu_count()} CPUs"


def print_table(results: list[Result]) -> None:
    head = ("run", "articles", "words", "wall s", "art/s", "words/s", "CPU s", "words/CPU-s",
            "peak RSS tree MB", "max child RSS MB", "exit")
    rows = [(r.run, f"{r.articles:,}", f"{r.words:,}", f"{r.seconds:.1f}", f"{r.articles_per_s:,.1f}",
             f"{r.words_per_s:,}", f"{r.cpu_s:.1f}", f"{r.words_per_cpu_s:,}", f"{r.peak_rss_tree_mb:.0f}",
             f"{r.max_child_rss_mb:.0f}", str(r.exit_status))
            for r in results]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    print(" | ".join(h.ljust(w) for h, w in zip(head, widths)))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--runs", default="extract-1,extract-2,ingest-1,ingest-2",
                    help=f"comma-separated, from {', '.join(RUNS)}")
    ap.add_argument("--memory-flatness", action="store_true",
                    help="run extract-1 on the first 1,000 articles and on --limit (default: all) and compare peak RSS")
    ap.add_argument("--json", type=Path, default=None, help="also write the results as JSON here")
    args = ap.parse_args()
    if not args.corpus.exists():
        raise SystemExit(f"{args.corpus} is absent (it is in ../shared on developer machines)")

    workdir = Path(tempfile.mkdtemp(prefix="khabar-bench-"))
    results: list[Result] = []
    skipped: list[str] = []
    try:
        print(f"# {load()} before the runs", flush=True)
        if args.memory_flatness:
            plan = [("extract-1", 1000), ("extract-1", args.limit)]
        else:
            plan = [(r.strip(), args.limit) for r in args.runs.split(",") if r.strip()]
        inputs: dict[int | None, tuple[Path, int, int]] = {}
        for run, limit in plan:
            if limit not in inputs:
                inputs[limit] = prepare_input(args.corpus, limit, workdir)
            inp, n, words = inputs[limit]
            cmd = command(run, inp, workdir)
            if cmd is None:
                skipped.append(f"{run}: `khabar ingest` is not available yet")
                continue
            label = f"{run} ({n:,} articles)" if args.memory_flatness else run
            print(f"# running {label}: {' '.join(cmd)}", file=sys.stderr, flush=True)
            results.append(measure(label, cmd, n, words, ROOT))
        print(f"# {load()} after the runs")
        print_table(results)
        for s in skipped:
            print(f"# skipped {s}")
        by = {r.run: r for r in results}
        for kind in ("extract", "ingest"):
            one, two = by.get(f"{kind}-1"), by.get(f"{kind}-2")
            if one and two:
                print(f"# {kind}: 2 workers = {two.words_per_s / one.words_per_s:.2f}x one worker")
        if args.json:
            args.json.write_text(json.dumps({"load": load(), "results": [asdict(r) for r in results],
                                             "skipped": skipped}, indent=2) + "\n")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
